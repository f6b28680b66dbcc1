import {
  assignedRoom,
  awayInBreakout,
  type BreakoutRoom,
  type Breakouts,
  type BreakoutsStart,
} from '@estrade/protocol';
import type { z } from 'zod';
import { CommandRefused, type ClassroomConnection } from '../classroom/connection.svelte';
import type { Confirm } from '../classroom/feedback';
import { i18n, t } from '../i18n/i18n.svelte';
import { forgetSession, loadSession, saveSession, type Session } from '../session/session';

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function tabStorage(): TabStorage | null {
  try {
    return sessionStorage;
  } catch {
    return null;
  }
}

/** Why a room's connection closed: we left, the rooms closed, or we were taken out (moved elsewhere). */
export type RoomClosed = 'left' | 'ended' | 'removed';

/**
 * Breakout rooms' client side, on the main meeting's connection: the moderators' commands, and
 * which room this tab is in. A room is a meeting of its own; entering one asks the main meeting
 * for a session to it (`breakout.join`), which the page opens as a second classroom while the
 * main connection stays (it carries the countdown, the assignments and the end).
 *
 * After a reload a person who was in a room is put back in it without a click: the room this tab
 * was in is kept in the tab's storage, as the session is.
 */
export class BreakoutsStore {
  /** Why the last breakout action was refused, said where it was asked. */
  notice = $state('');
  /** The session of the room this tab is in now; null in the main room. */
  session = $state<Session | null>(null);
  /** The room being entered, while its session is asked for. */
  joining = $state<BreakoutRoom | null>(null);
  /** The invitation this person put aside ("Not now"), by room id (`choice` for the room picker). */
  declined = $state<string | null>(null);
  /** The end time whose one-minute warning was put away. */
  warningDismissed = $state<string | null>(null);
  /** A confirmation that went through (a message sent), said a moment. */
  done = $state('');
  /**
   * The room this tab was in, once its connection is over: no invitation is offered meanwhile
   * (the rooms are closing, or a move is on its way, or a moderator chose to come back).
   */
  private closed = $state<string | null>(null);
  /** Taken out of a room by a move: enter the next room assigned, not this one again. */
  private followFrom: string | null = null;
  /** The room assigned when last looked at: a change while in a room is a move to follow. */
  private lastAssigned: string | null = null;

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly confirm: Confirm,
    private readonly storage: TabStorage | null = tabStorage(),
  ) {}

  get breakouts(): Breakouts | null {
    return this.conn.state?.breakouts ?? null;
  }

  /** The room this person is expected in, or null. */
  get assigned(): BreakoutRoom | null {
    return this.conn.state ? assignedRoom(this.conn.state, this.conn.you) : null;
  }

  /** The room this tab is in (or entering), or null. */
  get current(): BreakoutRoom | null {
    const id = this.session?.meetingId;
    return (id && this.breakouts?.rooms.find((r) => r.id === id)) || this.joining;
  }

  /**
   * Whether this person's media belongs to a room rather than the main room: on the server's word
   * (assigned students, anyone in a room), and from the moment this tab asks to enter one.
   */
  get away(): boolean {
    if (this.session || this.joining) return true;
    return !!this.conn.state && awayInBreakout(this.conn.state, this.conn.you);
  }

  /**
   * What to invite this person to now: the room they are assigned (moderators only when invited),
   * or, for students when they choose, every room. Null in a room, on the way to one, after
   * "Not now", and once this tab's room is over.
   */
  get invitation(): { choice: true; room: BreakoutRoom | null } | { choice: false; room: BreakoutRoom } | null {
    const b = this.breakouts;
    const me = this.conn.state?.participants[this.conn.you];
    if (!b || !me || this.session || this.joining || this.closed) return null;
    if (b.freeChoice && me.role !== 'moderator') {
      return this.declined === 'choice' ? null : { choice: true, room: this.assigned };
    }
    const room = this.assigned;
    return room && this.declined !== room.id ? { choice: false, room } : null;
  }

  /** Puts the invitation away until asked for again (`reopen`). */
  decline() {
    const inv = this.invitation;
    if (inv) this.declined = inv.choice ? 'choice' : inv.room.id;
  }

  /**
   * What the invitation put away would offer (a room, or the choice of rooms): the top bar keeps
   * it one click away. Also after a room's connection ended while the rooms are still open.
   */
  get putAway(): BreakoutRoom | 'choice' | null {
    const b = this.breakouts;
    const me = this.conn.state?.participants[this.conn.you];
    if (!b || !me || this.session || this.joining || this.invitation) return null;
    if (!this.declined && !this.closed) return null;
    if (b.freeChoice && me.role !== 'moderator') return 'choice';
    return this.assigned;
  }

  /** Shows the invitation again. */
  reopen() {
    this.declined = null;
    this.closed = null;
  }

  private get marker() {
    return `estrade.breakout.${this.conn.state?.meetingId ?? ''}`;
  }

  /** Enters a room: its session is asked for on the main connection, kept like the main one. */
  async enter(roomId: string): Promise<boolean> {
    const room = this.breakouts?.rooms.find((r) => r.id === roomId);
    if (!room || this.joining) return false;
    this.notice = '';
    this.joining = room;
    try {
      const reply = await this.conn.request('breakout.join', { roomId });
      // The same person in the room: the join code (for the "bye" page) and the camera choice go along.
      const main = this.conn.state ? loadSession(this.conn.state.meetingId) : null;
      const session: Session = {
        ...reply,
        joinCode: main?.joinCode ?? '',
        ...(main?.camera !== undefined ? { camera: main.camera } : {}),
        ...(main?.cameraId ? { cameraId: main.cameraId } : {}),
      };
      saveSession(session);
      this.storage?.setItem(this.marker, roomId);
      this.session = session;
      this.declined = null;
      this.closed = null;
      return true;
    } catch (err) {
      this.notice = refusal(err);
      return false;
    } finally {
      this.joining = null;
    }
  }

  /** Back to the main room (a moderator visiting; a student once the server lets them). */
  async leave(): Promise<boolean> {
    this.notice = '';
    try {
      await this.conn.request('breakout.leave', {});
    } catch (err) {
      this.notice = refusal(err);
      return false;
    }
    this.closeRoom('left');
    return true;
  }

  /** The room's connection is over: show the main room again (its classroom closes its media). */
  closeRoom(why: RoomClosed) {
    const id = this.session?.meetingId;
    if (!id) return;
    forgetSession(id);
    this.storage?.removeItem(this.marker);
    this.session = null;
    this.closed = id;
    this.followFrom = why === 'removed' ? id : null;
  }

  /**
   * Follows the main meeting's state (called on every change): out of a room that is gone, into
   * the room one is moved to, and back into the room this tab was in before a reload.
   */
  sync() {
    const b = this.breakouts;
    if (!this.conn.state) return;
    if (!b) {
      this.closeRoom('ended');
      this.storage?.removeItem(this.marker);
      this.lastAssigned = null;
      this.followFrom = null;
      this.closed = null;
      this.declined = null;
      return;
    }
    const assigned = b.assigned[this.conn.you] ?? null;
    const moved = assigned !== this.lastAssigned;
    this.lastAssigned = assigned;
    if (this.joining) return;
    const here = this.session?.meetingId;
    if (here && !b.rooms.some((r) => r.id === here)) this.closeRoom('ended');
    else if (here && moved && assigned && assigned !== here) {
      // Moved while in a room: straight to the new one.
      this.closeRoom('removed');
      void this.enter(assigned);
      return;
    }
    if (this.session) return;
    if (this.followFrom && assigned && assigned !== this.followFrom) {
      this.followFrom = null;
      void this.enter(assigned);
      return;
    }
    const before = this.storage?.getItem(this.marker);
    if (before) {
      this.storage?.removeItem(this.marker);
      const me = this.conn.state.participants[this.conn.you];
      const target = me?.role !== 'moderator' && assigned && !b.freeChoice ? assigned : before;
      if (b.rooms.some((r) => r.id === target)) void this.enter(target);
    }
  }

  start(command: z.infer<typeof BreakoutsStart>) {
    return this.attempt(() => this.conn.send(command));
  }

  extend(minutes: number) {
    return this.attempt(() => this.conn.send({ type: 'breakouts.extend', minutes }));
  }

  move(participantId: string, roomId: string) {
    return this.attempt(() => this.conn.send({ type: 'breakouts.move', participantId, roomId }));
  }

  async broadcast(text: string) {
    const sent = await this.attempt(() => this.conn.send({ type: 'breakouts.broadcast', text }));
    if (sent) this.done = t('breakouts.messageSent');
    return sent;
  }

  async capture() {
    const asked = await this.attempt(() => this.conn.send({ type: 'breakouts.capture' }));
    if (asked) this.done = t('breakouts.captured');
    return asked;
  }

  /** Closes every room, once the moderator confirms; false when they change their mind. */
  async end() {
    if (!this.confirm(t('breakouts.endConfirm'))) return false;
    return this.attempt(() => this.conn.send({ type: 'breakouts.end' }));
  }

  private async attempt(action: () => Promise<unknown>): Promise<boolean> {
    this.notice = '';
    this.done = '';
    try {
      await action();
      return true;
    } catch (err) {
      this.notice = refusal(err);
      return false;
    }
  }
}

function refusal(err: unknown): string {
  return err instanceof CommandRefused ? i18n.error(err.code) : i18n.error('internal');
}
