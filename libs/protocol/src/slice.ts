import type { z } from 'zod';
import type { Audience, Role } from './common';
import type { MeetingState } from './meeting';
import type { Rule } from './rules';

// Any zod object schema with a literal `type`: a command or an event.
type Message = z.ZodObject<any, any>;
type Of<S extends readonly Message[]> = z.infer<S[number]>;
type TypeOf<S extends readonly Message[]> = Extract<Of<S>['type'], string>;

/** Whom a view or a delivery is computed for. */
export interface Viewer {
  id: string;
  role: Role;
}

/** Turns an event's stored payload of version n into version n + 1. */
export type Upgrade = (payload: Record<string, unknown>) => Record<string, unknown>;

/**
 * One feature's part of the protocol: its commands and events, their rows of the permission
 * table, and how its events fold into the meeting state, whom they address, what each
 * participant may see of its state and what of its events leaves the server. `meeting.ts`
 * composes the slices; a feature adds its slice there and touches nothing else.
 */
export interface Slice<C extends readonly Message[], E extends readonly Message[]> {
  commands: C;
  events: E;
  /** Its rows of the one permission table: exactly one per command (a missing row is a type error). */
  permissions: { [K in TypeOf<C>]: Rule<Extract<Of<C>, { type: K }>> };
  /** (state, one of its events) → state; pure, shared by the server and the web app. */
  fold(state: MeetingState, event: Of<E>, at: string): MeetingState;
  /**
   * Folds a run of its events at once, to the same state as folding them one by one, when that
   * saves copying a large part of the state per event (a class joining together: the
   * participant list copied once, not once per student).
   */
  foldRun?(state: MeetingState, run: readonly { event: Of<E>; at: string }[]): MeetingState;
  /** Whom an event is for when its handler did not say, judged on the state before it; null: everyone. */
  audience?(event: Of<E>, state: MeetingState): Audience | null;
  /** What one participant may see of its part of the state (snapshots). */
  view?(view: MeetingState, state: MeetingState, who: Viewer): MeetingState;
  /**
   * Whether `view` shows this participant something another of the same role would not see
   * (their own private messages, say). Required with a `view` that looks at who is asking
   * beyond their role: snapshots are shared by everyone of a role otherwise.
   */
  personal?(state: MeetingState, who: Viewer): boolean;
  /** The event as it leaves the server: without server-only fields. */
  forClients?(event: Of<E>): Of<E>;
  /**
   * Upgrades of stored payloads, per event type: the n-th function turns version n into n + 1,
   * so an event's current version is one more than its number of upgrades.
   */
  upgrades?: { [K in TypeOf<E>]?: readonly Upgrade[] };
}

/** Declares a slice; the `const` parameters keep the exact command and event schemas for the types. */
export function defineSlice<const C extends readonly Message[], const E extends readonly Message[]>(
  slice: Slice<C, E>,
): Slice<C, E> {
  return slice;
}
