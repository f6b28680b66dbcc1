import { DEFAULT_SETTINGS } from '@estrade/protocol';
import { endsAt, warningAt } from './duration';

const MIN = 60_000;

describe('maximum duration', () => {
  it('has no end without a maximum', () => {
    expect(endsAt('2026-11-23T10:00:00.000Z', DEFAULT_SETTINGS, MIN)).toBeNull();
  });
  it('ends the maximum after the start', () => {
    expect(endsAt('2026-11-23T10:00:00.000Z', { ...DEFAULT_SETTINGS, maxDurationMinutes: 55 }, MIN)).toBe(
      '2026-11-23T10:55:00.000Z',
    );
  });
  it('warns five minutes before the end, or halfway through a short meeting', () => {
    expect(warningAt('2026-11-23T10:00:00.000Z', '2026-11-23T10:55:00.000Z', MIN)).toBe(
      Date.parse('2026-11-23T10:50:00.000Z'),
    );
    expect(warningAt('2026-11-23T10:00:00.000Z', '2026-11-23T10:04:00.000Z', MIN)).toBe(
      Date.parse('2026-11-23T10:02:00.000Z'),
    );
  });
});
