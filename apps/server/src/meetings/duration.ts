import type { MeetingSettings } from '@estrade/protocol';

/** When a meeting started at `startedAt` ends by itself under these settings, if ever. */
export function endsAt(startedAt: string, settings: MeetingSettings, minuteMs: number): string | null {
  if (settings.maxDurationMinutes === null) return null;
  return new Date(Date.parse(startedAt) + settings.maxDurationMinutes * minuteMs).toISOString();
}

/** The warning comes five minutes before the end, or halfway through a shorter meeting. */
export function warningAt(startedAt: string, end: string, minuteMs: number): number {
  const start = Date.parse(startedAt);
  const stop = Date.parse(end);
  return Math.max(stop - 5 * minuteMs, start + (stop - start) / 2);
}
