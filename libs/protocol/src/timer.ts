import { z } from 'zod';
import { RATES } from './rules';
import { defineSlice } from './slice';

// The class timer: a countdown or a stopwatch the presenter or a moderator runs for everyone.
// Its times are the server's (events carry when they happened), so every screen shows the same
// second whatever its own clock says; a countdown's end is a deadline, kept across restarts.

/** Longest countdown: a school day is shorter. */
export const TIMER_MAX_MS = 12 * 60 * 60 * 1000;

export const Timer = z.object({
  mode: z.enum(['countdown', 'stopwatch']),
  /** A countdown's length; 0 for a stopwatch. */
  durationMs: z.number().int().min(0).max(TIMER_MAX_MS),
  /** Time counted before `runningSince` (pauses stop the count). */
  elapsedMs: z.number().int().min(0),
  /** Server time since when it counts; null while paused or over. */
  runningSince: z.string().nullable(),
  /** A countdown that reached zero. */
  over: z.boolean(),
  /** Ring at the end (each person may still mute it). */
  sound: z.boolean(),
});
export type Timer = z.infer<typeof Timer>;

// Commands

export const TimerStart = z
  .object({
    type: z.literal('timer.start'),
    mode: z.enum(['countdown', 'stopwatch']),
    durationMs: z.number().int().min(1000).max(TIMER_MAX_MS).optional(),
    sound: z.boolean(),
  })
  .strict()
  .refine((c) => (c.mode === 'countdown') === (c.durationMs !== undefined), {
    message: 'a countdown has a duration (1 s to 12 h), a stopwatch none',
    path: ['durationMs'],
  });
export const TimerPause = z.object({ type: z.literal('timer.pause') }).strict();
export const TimerResume = z.object({ type: z.literal('timer.resume') }).strict();
/** Back to the start (a countdown's full length, a stopwatch's zero), paused. */
export const TimerReset = z.object({ type: z.literal('timer.reset') }).strict();
/** Takes the timer off everyone's screen. */
export const TimerClear = z.object({ type: z.literal('timer.clear') }).strict();

// Events

export const TimerStarted = z.object({
  type: z.literal('timer.started'),
  mode: z.enum(['countdown', 'stopwatch']),
  durationMs: z.number().int().min(0),
  sound: z.boolean(),
});
export const TimerPaused = z.object({ type: z.literal('timer.paused') });
export const TimerResumed = z.object({ type: z.literal('timer.resumed') });
export const TimerReset_ = z.object({ type: z.literal('timer.reset') });
export const TimerCleared = z.object({ type: z.literal('timer.cleared') });
/** A countdown reached zero (the server's deadline). */
export const TimerEnded = z.object({ type: z.literal('timer.ended') });

export const TimerState = z.object({ timer: Timer.nullable().default(null) });

/** Time counted so far at server time `now` (ms since the epoch). */
export function timerElapsed(t: Timer, now: number): number {
  const running = t.runningSince ? Math.max(0, now - Date.parse(t.runningSince)) : 0;
  const total = t.elapsedMs + running;
  return t.mode === 'countdown' ? Math.min(total, t.durationMs) : total;
}

/** What to show at server time `now`: a countdown's time left, a stopwatch's time counted. */
export function timerShows(t: Timer, now: number): number {
  return t.mode === 'countdown' ? t.durationMs - timerElapsed(t, now) : timerElapsed(t, now);
}

/** When a running countdown reaches zero (server time), or null. */
export function timerEndsAt(t: Timer | null): number | null {
  if (!t || t.mode !== 'countdown' || !t.runningSince || t.over) return null;
  return Date.parse(t.runningSince) + t.durationMs - t.elapsedMs;
}

export const timer = defineSlice({
  commands: [TimerStart, TimerPause, TimerResume, TimerReset, TimerClear],
  events: [TimerStarted, TimerPaused, TimerResumed, TimerReset_, TimerCleared, TimerEnded],
  permissions: {
    'timer.start': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'timer.pause': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'timer.resume': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'timer.reset': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'timer.clear': { who: 'presenter-or-moderator', rate: RATES.moderation },
  },
  fold(state, e, at) {
    const t = state.timer;
    const now = Date.parse(at);
    switch (e.type) {
      case 'timer.started':
        return {
          ...state,
          timer: {
            mode: e.mode,
            durationMs: e.durationMs,
            elapsedMs: 0,
            runningSince: at,
            over: false,
            sound: e.sound,
          },
        };
      case 'timer.paused':
        return t?.runningSince
          ? { ...state, timer: { ...t, elapsedMs: timerElapsed(t, now), runningSince: null } }
          : state;
      case 'timer.resumed':
        return t && !t.runningSince && !t.over ? { ...state, timer: { ...t, runningSince: at } } : state;
      case 'timer.reset':
        return t ? { ...state, timer: { ...t, elapsedMs: 0, runningSince: null, over: false } } : state;
      case 'timer.cleared':
        return { ...state, timer: null };
      case 'timer.ended':
        return t && t.mode === 'countdown'
          ? { ...state, timer: { ...t, elapsedMs: t.durationMs, runningSince: null, over: true } }
          : state;
    }
  },
});
