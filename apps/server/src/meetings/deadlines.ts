import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { MeetingState } from '@estrade/protocol';
import { logger } from '../logging/logger';
import { CommandBus, type Emit } from './command-bus';
import { MeetingsService } from './meetings.service';

/**
 * A kind of deadline the meeting state holds (the maximum duration, soon breakout and class
 * timers): the absolute times it sets, and what to log when one passes. Since the times are in
 * the state, they are armed again from the log after a restart, on whichever process runs it.
 */
export interface DeadlineKind {
  name: string;
  /** The deadlines of this state, each a key and an absolute time in ms. */
  due(state: MeetingState): { key: string; at: number }[];
  /** The events once a deadline passed, decided on the state of that moment. */
  fire(state: MeetingState, key: string): Emit[];
}

// setTimeout takes at most 2^31 - 1 ms (about 24.8 days); a longer wait sleeps in steps.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

interface Armed {
  at: number;
  timer: NodeJS.Timeout;
}

/**
 * One place for meeting deadlines. Kinds declared with `define` are re-armed from the state
 * after every change and at start-up; `set` is for a deadline of this process only (a
 * connection's reconnect grace: connections live in one process). Every deadline fires through
 * the bus's system path, and all of a meeting's are dropped when it ends.
 */
@Injectable()
export class Deadlines implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly kinds: DeadlineKind[] = [];
  /** Meeting → `kind/key` → its timer. */
  private readonly armed = new Map<string, Map<string, Armed>>();

  constructor(
    private readonly meetings: MeetingsService,
    private readonly bus: CommandBus,
  ) {}

  define(kind: DeadlineKind): void {
    this.kinds.push(kind);
  }

  onModuleInit() {
    this.meetings.onEvents((meetingId, _events, state) => this.rearm(meetingId, state));
  }

  async onApplicationBootstrap() {
    for (const meetingId of await this.meetings.runningMeetingIds()) {
      const { state } = await this.meetings.state(meetingId);
      this.rearm(meetingId, state);
    }
  }

  onModuleDestroy() {
    for (const meetingId of [...this.armed.keys()]) this.dropMeeting(meetingId);
  }

  /** A deadline of this process, replacing any with the same key. */
  set(meetingId: string, key: string, at: number, fire: (state: MeetingState) => Emit[]): void {
    this.arm(meetingId, `process/${key}`, at, () => this.fire(meetingId, key, fire));
  }

  clear(meetingId: string, key: string): void {
    this.disarm(meetingId, `process/${key}`);
  }

  /** The timers of the state's deadlines, after a change: new ones armed, moved ones re-armed, gone ones dropped. */
  private rearm(meetingId: string, state: MeetingState) {
    if (state.endedAt) return this.dropMeeting(meetingId);
    for (const kind of this.kinds) {
      const wanted = new Map<string, { key: string; at: number }>(
        kind.due(state).map((d) => [`${kind.name}/${d.key}`, d]),
      );
      for (const id of this.armed.get(meetingId)?.keys() ?? []) {
        if (id.startsWith(`${kind.name}/`) && !wanted.has(id)) this.disarm(meetingId, id);
      }
      for (const [id, d] of wanted) {
        if (this.armed.get(meetingId)?.get(id)?.at === d.at) continue;
        this.arm(meetingId, id, d.at, () =>
          // Still due on the state of that moment? Then the kind decides what happens.
          this.fire(meetingId, id, (s) => (kind.due(s).some((x) => x.key === d.key) ? kind.fire(s, d.key) : [])),
        );
      }
    }
  }

  private fire(meetingId: string, what: string, decide: (state: MeetingState) => Emit[]) {
    this.bus
      .system(meetingId, (state) => ({ events: state.endedAt ? [] : decide(state) }))
      .catch((err) => logger.warn({ err: String(err), meetingId, deadline: what }, 'a deadline could not be logged'));
  }

  private arm(meetingId: string, id: string, at: number, run: () => void) {
    this.disarm(meetingId, id);
    const wait = () => {
      const left = at - Date.now();
      const timer = setTimeout(
        () => {
          // A long wait comes in steps; and a timer may fire a millisecond before the wall clock
          // reaches its time (libuv's loop clock): a deadline never runs early.
          if (at - Date.now() > 0) return wait();
          this.armed.get(meetingId)?.delete(id);
          run();
        },
        Math.min(Math.max(0, left), LONGEST_TIMER_MS),
      );
      timer.unref();
      let timers = this.armed.get(meetingId);
      if (!timers) this.armed.set(meetingId, (timers = new Map()));
      timers.set(id, { at, timer });
    };
    wait();
  }

  private disarm(meetingId: string, id: string) {
    const timers = this.armed.get(meetingId);
    const t = timers?.get(id);
    if (t) clearTimeout(t.timer);
    timers?.delete(id);
    if (timers?.size === 0) this.armed.delete(meetingId);
  }

  private dropMeeting(meetingId: string) {
    for (const t of this.armed.get(meetingId)?.values() ?? []) clearTimeout(t.timer);
    this.armed.delete(meetingId);
  }

  /** How many deadlines are armed (for tests and the inventory of in-memory state). */
  size(meetingId?: string): number {
    if (meetingId) return this.armed.get(meetingId)?.size ?? 0;
    return [...this.armed.values()].reduce((n, m) => n + m.size, 0);
  }
}
