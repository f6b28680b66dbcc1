import { Injectable } from '@nestjs/common';
import {
  audienceOf,
  viewFor,
  emptyMeeting,
  foldMeeting,
  deliversTo,
  loggedForClients,
  type LoggedEvent,
  type MeetingState,
  type Snapshot,
} from '@estrade/protocol';
import { logger } from '../logging/logger';
import { CommandError } from './command-error';
import { MeetingsRepository, type NewEvent } from './meetings.repository';

interface LiveMeeting {
  roomId: string;
  seq: number;
  state: MeetingState;
  /** Tail of the per-meeting queue: appends and snapshots run one at a time, in order. */
  queue: Promise<unknown>;
}

export type EventsListener = (meetingId: string, events: LoggedEvent[], state: MeetingState) => void | Promise<void>;

/**
 * The spine's core: appends events to a meeting's log, folds them into the in-memory state and
 * hands them to listeners (the gateway broadcasts; features react with side effects).
 * The state is only ever the fold of the log, so it is rebuilt from PostgreSQL after a restart.
 */
@Injectable()
export class MeetingsService {
  private readonly live = new Map<string, Promise<LiveMeeting>>();
  private readonly listeners: EventsListener[] = [];

  constructor(private readonly repo: MeetingsRepository) {}

  onEvents(listener: EventsListener): void {
    this.listeners.push(listener);
  }

  async ensureRunning(room: { id: string; name: string }, now: Date): Promise<string> {
    const meeting = await this.repo.startOrGet(room, now);
    return meeting.id;
  }

  runningMeetingIds(): Promise<string[]> {
    return this.repo.listRunning().then((ms) => ms.map((m) => m.id));
  }

  /** The meeting's current state, loading and folding its log on first use. */
  async state(meetingId: string): Promise<{ seq: number; state: MeetingState; roomId: string }> {
    const m = await this.load(meetingId);
    return { seq: m.seq, state: m.state, roomId: m.roomId };
  }

  /**
   * Decides on the current state and appends the resulting events with nothing in between,
   * so a handler never acts on a state that another command has already changed. Only the
   * CommandBus calls it: commands, and the system path for what the server decides itself.
   */
  decide<R>(
    meetingId: string,
    fn: (state: MeetingState) => Promise<{ items: NewEvent[]; result: R }> | { items: NewEvent[]; result: R },
    now: Date = new Date(),
  ): Promise<R> {
    return this.exclusive(meetingId, async (m) => {
      const { items, result } = await fn(m.state);
      await this.commit(meetingId, m, items, now);
      return result;
    });
  }

  private async commit(meetingId: string, m: LiveMeeting, items: NewEvent[], now: Date): Promise<LoggedEvent[]> {
    if (items.length === 0) return [];
    if (m.state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
    // Folded once, here: each event's audience is judged on the state just before it (a private
    // message's two ends), and the state after the last one becomes the meeting's once logged.
    let after = m.state;
    const addressed = items.map((i) => {
      const audience = i.audience ?? audienceOf(i.event, after);
      after = foldMeeting(after, { at: now.toISOString(), event: i.event });
      return { ...i, audience };
    });
    const logged = await this.repo.append(meetingId, addressed, now);
    m.state = after;
    m.seq = logged[logged.length - 1].seq;
    // Listeners run in log order; their slow side effects (LiveKit calls) are not awaited here.
    for (const listener of this.listeners) {
      try {
        const maybe = listener(meetingId, logged, m.state);
        if (maybe) maybe.catch((err) => logger.error({ err, meetingId }, 'event reaction failed'));
      } catch (err) {
        logger.error({ err, meetingId }, 'event listener failed');
      }
    }
    if (m.state.endedAt) this.live.delete(meetingId);
    return logged;
  }

  /**
   * Runs `fn` with nothing appended to this meeting meanwhile: a connecting socket subscribes and
   * receives its snapshot or catch-up without missing or doubling an event.
   */
  exclusive<T>(meetingId: string, fn: (m: LiveMeeting) => Promise<T>): Promise<T> {
    return this.load(meetingId).then((m) => {
      const run = m.queue.then(() => fn(m));
      m.queue = run.catch(() => undefined);
      return run;
    });
  }

  snapshotFor(m: { seq: number; state: MeetingState }, participantId: string): Snapshot {
    const role = m.state.participants[participantId]?.role ?? 'viewer';
    return { seq: m.seq, you: participantId, state: viewFor(m.state, { id: participantId, role }) };
  }

  /** Events after `seq` that this participant may see (addressed events filtered out). */
  async eventsFor(meetingId: string, afterSeq: number, who: { id: string; role: 'moderator' | 'viewer' }) {
    const events = await this.repo.eventsAfter(meetingId, afterSeq);
    const { state } = await this.state(meetingId);
    return events.filter((e) => deliversTo(e, state, who)).map(loggedForClients);
  }

  private load(meetingId: string): Promise<LiveMeeting> {
    let m = this.live.get(meetingId);
    if (!m) {
      m = this.rebuild(meetingId);
      this.live.set(meetingId, m);
      // Only running meetings stay in memory: an ended one read again (a late request, a
      // deadline) is folded for that read and then forgotten.
      m.then(
        (x) => x.state.endedAt && this.live.get(meetingId) === m && this.live.delete(meetingId),
        () => this.live.delete(meetingId),
      );
    }
    return m;
  }

  private async rebuild(meetingId: string): Promise<LiveMeeting> {
    const row = await this.repo.findById(meetingId);
    if (!row) throw new CommandError('not_found', 'No such meeting');
    let state = emptyMeeting(row.id, row.roomName, row.startedAt.toISOString());
    const events = await this.repo.eventsAfter(meetingId, 0);
    for (const e of events) state = foldMeeting(state, e);
    return { roomId: row.roomId, seq: events.at(-1)?.seq ?? 0, state, queue: Promise.resolve() };
  }
}
