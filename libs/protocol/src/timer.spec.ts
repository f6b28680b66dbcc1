import { emptyMeeting, foldMeeting, type MeetingEvent } from './meeting';
import { TimerStart, timerEndsAt, timerShows, type Timer } from './timer';

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function fold(...steps: [number, MeetingEvent][]) {
  let state = emptyMeeting(crypto.randomUUID(), 'Salle', at(0));
  for (const [ms, event] of steps) state = foldMeeting(state, { at: at(ms), event });
  return state.timer!;
}

describe('the class timer', () => {
  const five: MeetingEvent = { type: 'timer.started', mode: 'countdown', durationMs: 300_000, sound: true };

  it('counts down from the server time it started, and ends when the deadline says', () => {
    const t = fold([1000, five]);
    expect(timerShows(t, T0 + 1000)).toBe(300_000);
    expect(timerShows(t, T0 + 61_000)).toBe(240_000);
    expect(timerShows(t, T0 + 999_000)).toBe(0); // never below zero
    expect(timerEndsAt(t)).toBe(T0 + 301_000);
    const over = fold([1000, five], [301_000, { type: 'timer.ended' }]);
    expect(over).toMatchObject({ over: true, runningSince: null, elapsedMs: 300_000 });
    expect(timerEndsAt(over)).toBeNull();
  });

  it('stops counting while paused and takes up where it was', () => {
    const paused = fold([0, five], [60_000, { type: 'timer.paused' }]);
    expect(timerShows(paused, T0 + 600_000)).toBe(240_000);
    expect(timerEndsAt(paused)).toBeNull();
    const resumed = fold([0, five], [60_000, { type: 'timer.paused' }], [120_000, { type: 'timer.resumed' }]);
    expect(timerShows(resumed, T0 + 130_000)).toBe(230_000);
    expect(timerEndsAt(resumed)).toBe(T0 + 120_000 + 240_000);
  });

  it('resets to its start, paused; a stopwatch counts up; clearing removes it', () => {
    const reset = fold([0, five], [60_000, { type: 'timer.reset' }]);
    expect(timerShows(reset, T0 + 90_000)).toBe(300_000);
    const watch = fold([0, { type: 'timer.started', mode: 'stopwatch', durationMs: 0, sound: false }]);
    expect(timerShows(watch, T0 + 75_500)).toBe(75_500);
    expect(timerEndsAt(watch)).toBeNull();
    let state = emptyMeeting(crypto.randomUUID(), 'Salle', at(0));
    state = foldMeeting(state, { at: at(0), event: five });
    state = foldMeeting(state, { at: at(1), event: { type: 'timer.cleared' } });
    expect(state.timer).toBeNull();
  });

  it('shows the same second on clients whose clocks are minutes apart', () => {
    const t: Timer = fold([0, { type: 'timer.started', mode: 'countdown', durationMs: 60_000, sound: false }]);
    // Each client knows its offset to the server's clock (the `clock` request) and applies it.
    const serverNow = T0 + 20_000;
    const clients = [-7 * 60_000, 0, 3 * 60_000 + 417].map((skew) => {
      const localNow = serverNow + skew;
      const offset = -skew;
      return Math.ceil(timerShows(t, localNow + offset) / 1000);
    });
    expect(clients).toEqual([40, 40, 40]);
  });

  it('refuses a countdown without a length, a stopwatch with one, and lengths out of range', () => {
    const ok = (c: unknown) => TimerStart.safeParse(c).success;
    expect(ok({ type: 'timer.start', mode: 'countdown', durationMs: 60_000, sound: true })).toBe(true);
    expect(ok({ type: 'timer.start', mode: 'stopwatch', sound: false })).toBe(true);
    expect(ok({ type: 'timer.start', mode: 'countdown', sound: true })).toBe(false);
    expect(ok({ type: 'timer.start', mode: 'stopwatch', durationMs: 1000, sound: true })).toBe(false);
    expect(ok({ type: 'timer.start', mode: 'countdown', durationMs: 13 * 3600_000, sound: true })).toBe(false);
    expect(ok({ type: 'timer.start', mode: 'countdown', durationMs: -5, sound: true })).toBe(false);
    expect(ok({ type: 'timer.start', mode: 'countdown', durationMs: 1.5, sound: true })).toBe(false);
  });
});
