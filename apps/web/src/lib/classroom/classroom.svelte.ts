import type { MediaSource, MeetingState, Participant } from '@estrade/protocol';
import { AccessStore } from '../access/access.svelte';
import { ChatStore } from '../chat/chat.svelte';
import { ControlsStore } from '../controls/controls.svelte';
import { i18n } from '../i18n/i18n.svelte';
import type { Media } from '../media/media.svelte';
import { ParticipantsStore } from '../participants/participants.svelte';
import { SlidesStore } from '../slides/slides.svelte';
import { WhiteboardStore } from '../whiteboard/whiteboard.svelte';
import { TimerStore } from '../timer/timer.svelte';
import { PollsStore } from '../polls/polls.svelte';
import { BreakoutsStore } from '../breakouts/breakouts.svelte';
import { CommandRefused, type ClassroomConnection } from './connection.svelte';
import type { Confirm, Run } from './feedback';
import { LayoutStore } from './layout.svelte';
import { permits, publishable, type Ask } from './permissions';

/**
 * Everything a classroom's components share: the connection and its state, who we are, the
 * feature stores with their actions, one `can` for every control, and the notice that says
 * why something was refused. Components reach it with `getClassroom()` (./context).
 */
export class ClassroomContext {
  /** Why the last action was refused, in the participant's language (above the action bar). */
  notice = $state('');
  /** Why the last slides command was refused: said beside the slides' toolbar, where it was given. */
  slidesNotice = $state('');
  /**
   * The server's time as this browser estimates it (its own clock plus the offset measured with
   * the `clock` request), ticking four times a second: clocks and timers show what the server
   * counts, whatever this computer's clock says. Also what fades (reactions, typing).
   */
  now = $state(Date.now());
  /** Server time minus this browser's time, measured at the start. */
  private clockOffset = 0;
  readonly chat: ChatStore;
  readonly slides: SlidesStore;
  readonly whiteboard: WhiteboardStore;
  readonly timer: TimerStore;
  readonly polls: PollsStore;
  readonly breakouts: BreakoutsStore;
  readonly participants: ParticipantsStore;
  readonly controls: ControlsStore;
  readonly access: AccessStore;
  readonly layout: LayoutStore;

  constructor(
    readonly conn: ClassroomConnection,
    readonly media: Media,
    confirm: Confirm = (question) => window.confirm(question),
  ) {
    this.chat = new ChatStore(conn, this.run);
    this.slides = new SlidesStore(
      conn,
      this.runInto((text) => (this.slidesNotice = text)),
    );
    // Whiteboard refusals are said by the slides' toolbar too: the tools sit there.
    this.whiteboard = new WhiteboardStore(
      conn,
      this.runInto((text) => (this.slidesNotice = text)),
    );
    this.participants = new ParticipantsStore(conn, this.run, confirm);
    this.controls = new ControlsStore(conn, this.run, confirm);
    this.access = new AccessStore(conn, this.run);
    this.layout = new LayoutStore(conn, this.run);
    this.timer = new TimerStore(conn, this.run);
    this.polls = new PollsStore(conn, confirm, (fileId) => this.slides.url({ fileId }, 'text'));
    this.breakouts = new BreakoutsStore(conn, confirm);
  }

  get state(): MeetingState | null {
    return this.conn.state;
  }

  /** The state, for components shown only once the snapshot has arrived. */
  get meeting(): MeetingState {
    if (!this.conn.state) throw new Error('The classroom has no state before its snapshot');
    return this.conn.state;
  }

  get you(): string {
    return this.conn.you;
  }

  get me(): Participant | undefined {
    return this.conn.state?.participants[this.conn.you];
  }

  get presenting(): boolean {
    return !!this.conn.state && this.conn.state.presenterId === this.conn.you;
  }

  /** Whether the permission table lets us send this command now: shows or enables a control. */
  can = (ask: Ask): boolean =>
    !!this.conn.state &&
    permits(this.conn.state, this.conn.you, ask, (id) => this.chat.all.find((m) => m.id === id)?.from);

  /** Whether LiveKit lets us publish this source (the grant follows the same table). */
  mayPublish = (source: MediaSource): boolean =>
    !!this.conn.state && publishable(this.conn.state, this.conn.you).includes(source);

  /** A refusal in the participant's language. */
  errorText = (err: unknown): string =>
    err instanceof CommandRefused ? (err.text ?? i18n.error(err.code)) : i18n.error('internal');

  showError = (err: unknown) => {
    this.notice = this.errorText(err);
  };

  showSlidesError = (err: unknown) => {
    this.slidesNotice = this.errorText(err);
  };

  run: Run = this.runInto((text) => (this.notice = text));

  /** A Run whose refusal is shown in one place; a new attempt clears the last one. */
  private runInto(show: (text: string) => void): Run {
    return async (action) => {
      show('');
      try {
        await action();
        return true;
      } catch (err) {
        show(this.errorText(err));
        return false;
      }
    };
  }

  /** The offset to the server's clock: the reply's time against the middle of the round trip. */
  private async measureClock() {
    for (let attempt = 0; attempt < 20 && !this.conn.state; attempt++) await new Promise((r) => setTimeout(r, 250));
    try {
      const sent = Date.now();
      const { now } = await this.conn.request('clock');
      const back = Date.now();
      this.clockOffset = now - (sent + back) / 2;
      this.now = Date.now() + this.clockOffset;
    } catch {
      // Not measured: this browser's own clock it is.
    }
  }

  /** Starts the clock and the stores' listeners; returns what stops them. */
  start(onChatNotice: Parameters<ChatStore['start']>[0]): () => void {
    const tick = setInterval(() => (this.now = Date.now() + this.clockOffset), 250);
    void this.measureClock();
    const stopTimer = this.timer.start();
    const stopChat = this.chat.start(onChatNotice);
    const stopSlides = this.slides.start();
    const stopWhiteboard = this.whiteboard.start();
    return () => {
      clearInterval(tick);
      stopChat();
      stopSlides();
      stopWhiteboard();
      stopTimer();
    };
  }
}
