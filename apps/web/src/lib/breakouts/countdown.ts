import { breakoutsLeftMs, warningAt, type Breakouts } from '@estrade/protocol';
import { formatDuration } from '../classroom/clock';

/**
 * What the countdown shows at server time `now`: the seconds not finished yet, as a kitchen timer
 * does ("00:01" until the rooms close), so that "00:00" means closed.
 */
export function countdownText(b: Pick<Breakouts, 'endsAt'>, now: number): string {
  return formatDuration(Math.ceil(breakoutsLeftMs(b, now) / 1000) * 1000);
}

/**
 * Whether the one-minute warning shows now: in the last minute, until the end, unless it was put
 * away for this end time. An extension moves the end, so the warning comes again before the new one.
 */
export function warningShows(b: Pick<Breakouts, 'endsAt'>, now: number, dismissedFor: string | null): boolean {
  return dismissedFor !== b.endsAt && now >= warningAt(b) && now < Date.parse(b.endsAt);
}
