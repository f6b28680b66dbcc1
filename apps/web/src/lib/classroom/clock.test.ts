import { describe, expect, it } from 'vitest';
import { formatDuration } from './clock';

describe('the meeting clock', () => {
  it('shows minutes and seconds, and hours once there are some', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(65_400)).toBe('01:05');
    expect(formatDuration(3_909_000)).toBe('1:05:09');
    expect(formatDuration(-5000)).toBe('00:00');
  });
});
