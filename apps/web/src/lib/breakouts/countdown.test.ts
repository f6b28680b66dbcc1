import { describe, expect, it } from 'vitest';
import { countdownText, warningShows } from './countdown';

const end = '2026-11-30T10:15:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('the breakout countdown', () => {
  it('shows minutes and seconds left, the last second until the end, and never below zero', () => {
    expect(countdownText({ endsAt: end }, at('2026-11-30T10:00:00.000Z'))).toBe('15:00');
    expect(countdownText({ endsAt: end }, at('2026-11-30T10:14:58.400Z'))).toBe('00:02');
    expect(countdownText({ endsAt: end }, at('2026-11-30T10:14:59.999Z'))).toBe('00:01');
    expect(countdownText({ endsAt: end }, at('2026-11-30T10:15:00.000Z'))).toBe('00:00');
    expect(countdownText({ endsAt: end }, at('2026-11-30T10:20:00.000Z'))).toBe('00:00');
    expect(countdownText({ endsAt: '2026-11-30T12:00:00.000Z' }, at('2026-11-30T10:00:00.000Z'))).toBe('2:00:00');
  });

  it('warns in the last minute, once per end time, and again after an extension', () => {
    const b = { endsAt: end };
    expect(warningShows(b, at('2026-11-30T10:13:59.999Z'), null)).toBe(false);
    expect(warningShows(b, at('2026-11-30T10:14:00.000Z'), null)).toBe(true);
    expect(warningShows(b, at('2026-11-30T10:14:59.000Z'), null)).toBe(true);
    expect(warningShows(b, at('2026-11-30T10:15:00.000Z'), null)).toBe(false);
    // Put away for this end: not again.
    expect(warningShows(b, at('2026-11-30T10:14:30.000Z'), end)).toBe(false);
    // Five more minutes: quiet until the new last minute, then it warns again.
    const extended = { endsAt: '2026-11-30T10:20:00.000Z' };
    expect(warningShows(extended, at('2026-11-30T10:14:30.000Z'), end)).toBe(false);
    expect(warningShows(extended, at('2026-11-30T10:19:10.000Z'), end)).toBe(true);
  });
});
