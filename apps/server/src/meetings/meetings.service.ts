import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  viewClass,
  viewFor,
  emptyMeeting,
  foldDecision,
  foldEvents,
  type LoggedEvent,
  type MeetingState,
  type Snapshot,
} from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { logger } from '../logging/logger';
import { CommandError } from './command-error';
import { MeetingsRepository, type NewEvent, type TimedEvent } from './meetings.repository';

/** Nobody's id: the role views are computed for them. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** One decision's events, waiting to be written with others, and the state after them. */
interface Decided {
  items: TimedEvent[];
  after: MeetingState;
  /** What must be stored before these events are (an anonymous poll's voter). */
  before?: Promise<unknown>;
  written: () => void;
  failed: (err: unknown) => void;
}

interface LiveMeeting {
  roomId: string;
  /** What is written: the last event's place in the log and the state after it. */
  seq: number;
  state: MeetingState;
  /** The state with the decisions still being written: what the next decision is made on. */
  ahead: MeetingState;
  /** Bumped when a write fails: a decision made on the failed events cannot stand. */
  epoch: number;
  /** Decisions waiting for the write in flight to end; the next write takes them all at once. */
  waiting: Decided[];
  writing: Promise<void> | null;
  /** Tail of the per-meeting queue: decisions and snapshots run one at a time, in order. */
  queue: Promise<unknown>;
  /**
   * The last events written, in order: what a reconnection missed, read without PostgreSQL.
   * Bounded by count and by bytes (`recentSizes`, `recentBytes`): a few heavy events (a page of
   * ink) must not keep megabytes alive after the page is cleared.
   */
  recent: LoggedEvent[];
  recentSizes: number[];
  recentBytes: number;
  /** When the meeting was last asked for, and how many decisions and snapshots are under way. */
  usedAt: number;
  busy: number;
}

/** Events kept in memory per running meeting for reconnections (a blip, a reload storm)... */
const RECENT_EVENTS = 2000;
/** ...and at most this many bytes of them (older ones are read from the log). */
const RECENT_BYTES = 1024 * 1024;

/** Keeps a meeting's recent events within RECENT_EVENTS and RECENT_BYTES, dropping the oldest. */
function keepRecent(m: Pick<LiveMeeting, 'recent' | 'recentSizes' | 'recentBytes'>, logged: LoggedEvent[]) {
  for (const e of logged) {
    const size = Buffer.byteLength(JSON.stringify(e.event));
    m.recent.push(e);
    m.recentSizes.push(size);
    m.recentBytes += size;
  }
  let drop = Math.max(0, m.recent.length - RECENT_EVENTS);
  let bytes = m.recentBytes;
  for (let i = 0; i < drop; i++) bytes -= m.recentSizes[i];
  while (bytes > RECENT_BYTES && drop < m.recent.length) bytes -= m.recentSizes[drop++];
  if (drop > 0) {
    m.recent.splice(0, drop);
    m.recentSizes.splice(0, drop);
    m.recentBytes = bytes;
  }
}

/** A decision: the events to append, what to answer the caller, and what must be stored before the events. */
export interface Decision<R> {
  items: NewEvent[];
  result: R;
  before?: Promise<unknown>;
}

export type EventsListener = (meetingId: string, events: LoggedEvent[], state: MeetingState) => void | Promise<void>;
/** A meeting nobody uses any more has left memory: what features hold for it may go too. */
export type IdleListener = (meetingId: string) => void | Promise<void>;

/**
 * The spine's core: appends events to a meeting's log, folds them into the in-memory state and
 * hands them to listeners (the gateway broadcasts; features react with side effects).
 * The state is only ever the fold of the log, so it is rebuilt from PostgreSQL after a restart.
 */
@Injectable()
export class MeetingsService implements OnModuleInit, OnModuleDestroy {
  private readonly live = new Map<string, Promise<LiveMeeting>>();
  /** The same meetings once loaded: what the sweep looks at without waiting on promises. */
  private readonly loaded = new Map<string, LiveMeeting>();
  private readonly listeners: EventsListener[] = [];
  private readonly idleListeners: IdleListener[] = [];
  private inUse: (meetingId: string) => boolean = () => false;
  private sweeper?: NodeJS.Timeout;
  private readonly idleMs: number;

  constructor(
    private readonly repo: MeetingsRepository,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.idleMs = runtime.config.meetingIdleMs;
  }

  onModuleInit() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), Math.max(100, Math.min(this.idleMs / 2, 30_000)));
    this.sweeper.unref();
  }

  onModuleDestroy() {
    clearInterval(this.sweeper);
  }

  onEvents(listener: EventsListener): void {
    this.listeners.push(listener);
  }

  onIdle(listener: IdleListener): void {
    this.idleListeners.push(listener);
  }

  /** Who knows whether anyone is connected to a meeting (the gateway): such a meeting stays. */
  setInUse(test: (meetingId: string) => boolean): void {
    this.inUse = test;
  }

  /** Meetings held in memory now. */
  get loadedCount(): number {
    return this.live.size;
  }

  /**
   * An idle meeting (nobody connected, nothing asked of it for `meetingIdleMs`, nothing being
   * decided or written) leaves memory; the next request folds it again from the log, as after a
   * restart. A school's instance keeps only the lessons going on now.
   */
  sweep(now: number): void {
    for (const [meetingId, m] of this.loaded) {
      if (m.busy > 0 || m.writing || m.waiting.length > 0 || now - m.usedAt < this.idleMs) continue;
      if (this.inUse(meetingId)) {
        m.usedAt = now;
        continue;
      }
      this.loaded.delete(meetingId);
      this.live.delete(meetingId);
      this.running.delete(m.roomId);
      logger.debug({ meetingId }, 'an idle meeting left memory');
      for (const listener of this.idleListeners) {
        try {
          const maybe = listener(meetingId);
          if (maybe) maybe.catch((err) => logger.error({ err, meetingId }, 'idle reaction failed'));
        } catch (err) {
          logger.error({ err, meetingId }, 'idle listener failed');
        }
      }
    }
  }

  /**
   * The room's running meeting, started if none is. Remembered while it runs: a class joining at
   * once asks PostgreSQL once, not once per student. A meeting ended elsewhere is forgotten by
   * the caller who finds it ended (`forgetRunning`).
   */
  async ensureRunning(room: { id: string; name: string }, now: Date): Promise<string> {
    let id = this.running.get(room.id);
    if (!id) {
      id = this.repo.startOrGet(room, now).then((m) => m.id);
      this.running.set(room.id, id);
      id.catch(() => this.running.get(room.id) === id && this.running.delete(room.id));
    }
    return id;
  }

  forgetRunning(roomId: string): void {
    this.running.delete(roomId);
  }

  private readonly running = new Map<string, Promise<string>>();

  /** Opens a breakout room's meeting beside its main meeting (idempotent). */
  openChild(parent: { id: string; roomId: string }, child: { id: string; name: string }, now = new Date()) {
    return this.repo.openChild(parent, child, now);
  }

  /** The breakout rooms of a meeting that are still running: ids and names. */
  runningChildren(parentId: string): Promise<{ id: string; name: string }[]> {
    return this.repo.runningChildren(parentId).then((ms) => ms.map((m) => ({ id: m.id, name: m.roomName })));
  }

  runningMeetingIds(): Promise<string[]> {
    return this.repo.listRunning().then((ms) => ms.map((m) => m.id));
  }

  /**
   * Whether `test` holds of the state with every decision made so far (some perhaps still being
   * written): when it does, a decision that would change nothing need not wait its turn.
   */
  async holds(meetingId: string, test: (state: MeetingState) => boolean): Promise<boolean> {
    return test((await this.load(meetingId)).ahead);
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
   *
   * Group commit: decisions are made one at a time on the state including what is still being
   * written, and written in one statement per round trip to PostgreSQL (all those made while the
   * previous write was in flight). Each caller's promise resolves once its events are written,
   * folded into the state and handed to the listeners, in log order.
   */
  decide<R>(
    meetingId: string,
    fn: (state: MeetingState) => Promise<Decision<R>> | Decision<R>,
    now: Date = new Date(),
  ): Promise<R> {
    return this.load(meetingId).then((m) => {
      m.busy++;
      const decided = m.queue.then(async () => {
        const epoch = m.epoch;
        const { items, result, before } = await fn(m.ahead);
        if (items.length === 0) return { result, written: Promise.resolve() };
        if (m.epoch !== epoch) throw new CommandError('internal', 'The meeting could not be saved: try again');
        if (m.ahead.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
        // Each event's audience is judged on the state just before it (a private message's two
        // ends), and the state after the last one is what the next decision is made on.
        const { state: after, audiences } = foldDecision(m.ahead, items, now.toISOString());
        const timed = items.map((i, k) => ({ ...i, audience: audiences[k], at: now }));
        m.ahead = after;
        const written = new Promise<void>((resolve, reject) =>
          m.waiting.push({ items: timed, after, before, written: resolve, failed: reject }),
        );
        this.write(meetingId, m);
        return { result, written };
      });
      m.queue = decided.catch(() => undefined);
      return decided
        .then(async ({ result, written }) => {
          await written;
          return result;
        })
        .finally(() => {
          m.busy--;
          m.usedAt = Date.now();
        });
    });
  }

  /** Writes what is waiting, unless a write is in flight (its end writes the rest). */
  private write(meetingId: string, m: LiveMeeting): void {
    if (m.writing || m.waiting.length === 0) return;
    const batch = m.waiting.splice(0);
    m.writing = Promise.all(batch.map((d) => d.before))
      .then(() =>
        this.repo.append(
          meetingId,
          batch.flatMap((d) => d.items),
        ),
      )
      .then(
        (logged) => {
          let from = 0;
          keepRecent(m, logged);
          for (const d of batch) {
            const mine = logged.slice(from, (from += d.items.length));
            m.state = d.after;
            m.seq = mine[mine.length - 1].seq;
            this.notify(meetingId, mine, m.state);
            d.written();
          }
          if (m.state.endedAt) {
            this.live.delete(meetingId);
            this.loaded.delete(meetingId);
            this.forgetRunning(m.roomId);
          }
        },
        (err) => {
          // Nothing of this batch is logged, so nothing decided on top of it can stand either.
          m.epoch++;
          m.ahead = m.state;
          for (const d of [...batch, ...m.waiting.splice(0)]) d.failed(err);
        },
      )
      .finally(() => {
        m.writing = null;
        this.write(meetingId, m);
      });
  }

  /** Hands written events to the listeners, in log order; their slow side effects are not awaited. */
  private notify(meetingId: string, logged: LoggedEvent[], state: MeetingState): void {
    for (const listener of this.listeners) {
      try {
        const maybe = listener(meetingId, logged, state);
        if (maybe) maybe.catch((err) => logger.error({ err, meetingId }, 'event reaction failed'));
      } catch (err) {
        logger.error({ err, meetingId }, 'event listener failed');
      }
    }
  }

  /**
   * Runs `fn` with nothing appended to this meeting meanwhile, once everything decided before it
   * is written: a connecting socket subscribes and receives its snapshot or catch-up without
   * missing or doubling an event.
   */
  exclusive<T>(meetingId: string, fn: (m: LiveMeeting) => Promise<T>): Promise<T> {
    return this.load(meetingId).then((m) => {
      m.busy++;
      const run = m.queue.then(async () => {
        while (m.writing) await m.writing.catch(() => undefined);
        return fn(m);
      });
      m.queue = run.catch(() => undefined);
      return run.finally(() => {
        m.busy--;
        m.usedAt = Date.now();
      });
    });
  }

  snapshotFor(m: { seq: number; state: MeetingState }, participantId: string): Snapshot {
    return { seq: m.seq, you: participantId, state: this.sharedView(m.state, participantId).view };
  }

  /**
   * This participant's view of a state, computed once per view class (everyone of a role, unless
   * they have something of their own) and shared by everyone in it: a class reconnecting at once
   * costs one view, not one per student. States are immutable, so the cache is keyed by the state.
   */
  sharedView(state: MeetingState, participantId: string): { key: string; view: MeetingState } {
    const who = { id: participantId, role: state.participants[participantId]?.role ?? ('viewer' as const) };
    const key = viewClass(state, who);
    let views = this.views.get(state);
    if (!views) this.views.set(state, (views = new Map()));
    let view = views.get(key);
    if (!view) {
      // A role's view is computed for nobody in particular: it holds nothing of anyone's own.
      view = viewFor(state, key.startsWith('role:') ? { id: NOBODY, role: who.role } : who);
      views.set(key, view);
    }
    return { key, view };
  }

  private readonly views = new WeakMap<MeetingState, Map<string, MeetingState>>();

  /**
   * Every event after `seq`, for the caller to filter per participant (several resuming at
   * once): from memory when the meeting's recent events reach back that far.
   */
  async eventsAfter(meetingId: string, afterSeq: number): Promise<LoggedEvent[]> {
    const m = await this.live.get(meetingId)?.catch(() => undefined);
    if (m && afterSeq >= m.seq) return [];
    const recent = m?.recent ?? [];
    const whole = recent.length > 0 && recent.at(-1)!.seq === m!.seq && m!.seq - recent[0].seq === recent.length - 1;
    if (whole && recent[0].seq <= afterSeq + 1) {
      return recent.slice(afterSeq + 1 - recent[0].seq);
    }
    return this.repo.eventsAfter(meetingId, afterSeq);
  }

  private load(meetingId: string): Promise<LiveMeeting> {
    let m = this.live.get(meetingId);
    if (!m) {
      const loading = (m = this.rebuild(meetingId));
      this.live.set(meetingId, m);
      // Only running meetings stay in memory: an ended one read again (a late request, a
      // deadline) is folded for that read and then forgotten.
      m.then(
        (x) => {
          if (this.live.get(meetingId) !== loading) return;
          if (x.state.endedAt) this.live.delete(meetingId);
          else this.loaded.set(meetingId, x);
        },
        () => this.live.get(meetingId) === loading && this.live.delete(meetingId),
      );
    } else {
      const known = this.loaded.get(meetingId);
      if (known) known.usedAt = Date.now();
    }
    return m;
  }

  private async rebuild(meetingId: string): Promise<LiveMeeting> {
    const row = await this.repo.findById(meetingId);
    if (!row) throw new CommandError('not_found', 'No such meeting');
    let state = emptyMeeting(row.id, row.roomName, row.startedAt.toISOString());
    const events = await this.repo.eventsAfter(meetingId, 0);
    state = foldEvents(state, events);
    const recent = { recent: [], recentSizes: [], recentBytes: 0 };
    keepRecent(recent, events.slice(-RECENT_EVENTS));
    return {
      ...recent,
      usedAt: Date.now(),
      busy: 0,
      roomId: row.roomId,
      seq: events.at(-1)?.seq ?? 0,
      state,
      ahead: state,
      epoch: 0,
      waiting: [],
      writing: null,
      queue: Promise.resolve(),
    };
  }
}
