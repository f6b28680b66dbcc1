import type { Audience, MeetingEvent } from '@estrade/protocol';
import type { NewEvent } from './meetings.repository';

/**
 * An event with who caused it and whom it is for, when not the default: a command's events are
 * caused by its sender and a server's by nobody; the audience defaults to the slice's rule.
 * `actor: null` on a command's event logs it with nobody at all (an anonymous answer).
 */
export interface Emitted {
  event: MeetingEvent;
  actor?: string | null;
  audience?: Audience | null;
}
export type Emit = MeetingEvent | Emitted;

/**
 * An emitted event with its actor and audience filled in: `fallback` (the command's sender, or
 * nobody for the system path) unless the event names its own actor, `null` included.
 */
export function withActor(e: Emit, fallback: string | null): NewEvent {
  if (!('event' in e)) return { event: e, actor: fallback };
  return { event: e.event, actor: e.actor === undefined ? fallback : e.actor, audience: e.audience };
}
