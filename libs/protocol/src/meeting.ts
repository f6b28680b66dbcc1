import { z } from 'zod';
import { Audience, MeetingId, ParticipantId } from './common';
import { AccessState, access, DEFAULT_SETTINGS } from './access';
import { ChatState, chat } from './chat';
import { ControlsState, controls } from './controls';
import { LayoutState, layout } from './layout';
import { lifecycle } from './lifecycle';
import { ParticipantsState, participants, participantsOnTheWire, seesParticipant } from './participants';
import { PresentationsState, presentations } from './presentations';
import { WhiteboardState, whiteboard } from './whiteboard';
import { TimerState, timer } from './timer';
import { PollsState, polls } from './polls';
import { BreakoutsState, breakouts } from './breakouts';
import type { Rule } from './rules';
import { fieldDefaults, withoutDefaults } from './wire';
import type { Slice, Upgrade, Viewer } from './slice';

/**
 * The meeting is the composition of its features' slices: a new feature adds its slice to this
 * list and its part of the state to `SliceStates` below; everything else is derived from them.
 */
export const SLICES = [
  participants,
  controls,
  access,
  chat,
  presentations,
  whiteboard,
  timer,
  polls,
  breakouts,
  layout,
  lifecycle,
] as const;

/** Each slice's part of the meeting state; their defaults are a new meeting's. */
const SliceStates = z.object({
  ...ParticipantsState.shape,
  ...ControlsState.shape,
  ...AccessState.shape,
  ...ChatState.shape,
  ...PresentationsState.shape,
  ...WhiteboardState.shape,
  ...TimerState.shape,
  ...PollsState.shape,
  ...BreakoutsState.shape,
  ...LayoutState.shape,
});

/** The meeting state: a few fields of its own, then each slice's part. */
export const MeetingState = z.object({
  meetingId: MeetingId,
  roomName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  ...SliceStates.shape,
});
export type MeetingState = z.infer<typeof MeetingState>;

/** A meeting before its first event. */
export function emptyMeeting(meetingId: string, roomName: string, startedAt: string): MeetingState {
  return { meetingId, roomName, startedAt, endedAt: null, ...SliceStates.parse({}) };
}

type Slices = (typeof SLICES)[number];
type CommandSchema = Slices['commands'][number];
type EventSchema = Slices['events'][number];
// Seen as one slice of any messages, to dispatch by type at run time.
type AnySlice = Slice<readonly any[], readonly any[]>;
const slices = SLICES as readonly AnySlice[];
const typeOf = (schema: { shape: { type: { value: string } } }) => schema.shape.type.value;

/** Every command a client may send, discriminated on `type`. */
export const Command = z.discriminatedUnion(
  'type',
  slices.flatMap((s) => s.commands) as unknown as [CommandSchema, ...CommandSchema[]],
);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
export const COMMAND_TYPES = slices.flatMap((s) => s.commands.map(typeOf)) as CommandType[];

/** Every event of the meeting log, discriminated on `type`. */
export const MeetingEvent = z.discriminatedUnion(
  'type',
  slices.flatMap((s) => s.events) as unknown as [EventSchema, ...EventSchema[]],
);
export type MeetingEvent = z.infer<typeof MeetingEvent>;
export type EventType = MeetingEvent['type'];

/** The one table of who may send which command, composed from the slices' rows. */
export const COMMAND_PERMISSIONS = Object.assign({}, ...slices.map((s) => s.permissions)) as Readonly<
  Record<CommandType, Rule<any>>
>;

const OWNER = new Map<string, AnySlice>(slices.flatMap((s) => s.events.map((e) => [typeOf(e), s] as const)));

/** The participant an event is about, if any (`participantId`). */
function subjectOf(event: MeetingEvent): string | null {
  return 'participantId' in event && typeof event.participantId === 'string' ? event.participantId : null;
}

/**
 * An event as logged and delivered: its place in the log, when, and who caused it. On the wire
 * (see `loggedOnTheWire`) the actor is left out when it is the participant the event is about,
 * and the event's fields at their default: parsing fills them back in.
 */
export const LoggedEvent = z
  .object({
    seq: z.number().int().positive(),
    at: z.string(),
    actor: ParticipantId.nullable().optional(),
    audience: Audience.nullable().optional(),
    event: MeetingEvent,
  })
  .transform(({ actor, ...logged }) => ({
    ...logged,
    actor: actor === undefined ? subjectOf(logged.event) : actor,
  }));
export type LoggedEvent = z.infer<typeof LoggedEvent>;

/** What a (re)connecting client receives first: the folded state as of `seq`. */
export const Snapshot = z.object({
  seq: z.number().int().nonnegative(),
  /**
   * Who the snapshot is for. Left out when one snapshot goes to many sockets at once (a class
   * reconnecting together): the client's session names it.
   */
  you: ParticipantId.optional(),
  state: MeetingState,
});
export type Snapshot = z.infer<typeof Snapshot>;

/**
 * What a client resuming from the seq it held (Handshake.lastSeq) receives once it is back in
 * the meeting, right after the events it missed (none, after a short blip): it is up to date as
 * of `seq`. Without it a client could not tell a resume that worked from one still under way.
 */
export const Resumed = z.object({ seq: z.number().int().nonnegative() });
export type Resumed = z.infer<typeof Resumed>;

/**
 * A snapshot as it is sent: without what parsing it fills back in (each participant's id and
 * fields at their default), so a large class's snapshot is about half the bytes.
 */
export function snapshotOnTheWire(snapshot: Snapshot): z.input<typeof Snapshot> {
  return {
    ...snapshot,
    state: { ...snapshot.state, participants: participantsOnTheWire(snapshot.state.participants) },
  };
}

/**
 * The fold: (state, event) → state. Pure, shared by the server (authority) and the web app
 * (which applies the same events to its snapshot), so both agree by construction. Each event
 * goes to the slice that declares it.
 */
export function foldMeeting(state: MeetingState, logged: Pick<LoggedEvent, 'at' | 'event'>): MeetingState {
  const slice = OWNER.get(logged.event.type);
  return slice ? slice.fold(state, logged.event, logged.at) : state;
}

/**
 * Folds events in order, to the same state as `foldMeeting` one by one; a run of one slice's
 * events goes to its `foldRun` where it has one (a restart replaying a class's joins copies the
 * participant list once per run, not once per join).
 */
export function foldEvents(state: MeetingState, logged: readonly Pick<LoggedEvent, 'at' | 'event'>[]): MeetingState {
  for (let i = 0; i < logged.length;) {
    const slice = OWNER.get(logged[i].event.type);
    let end = i + 1;
    if (slice?.foldRun) {
      while (end < logged.length && OWNER.get(logged[end].event.type) === slice) end++;
      state = slice.foldRun(state, logged.slice(i, end));
    } else if (slice) {
      state = slice.fold(state, logged[i].event, logged[i].at);
    }
    i = end;
  }
  return state;
}

/**
 * Folds one decision's events (all at `at`) and tells each one's audience: its own if it has
 * one, else its slice's rule judged on the state just before it. Events whose audience needs no
 * state in between are folded together (`foldEvents`).
 */
export function foldDecision(
  state: MeetingState,
  items: readonly { event: MeetingEvent; audience?: Audience | null }[],
  at: string,
): { state: MeetingState; audiences: (Audience | null)[] } {
  const audiences: (Audience | null)[] = [];
  // Events from `from` on are not folded into `state` yet.
  let from = 0;
  const catchUp = (to: number) => {
    if (to > from)
      state = foldEvents(
        state,
        items.slice(from, to).map(({ event }) => ({ at, event })),
      );
    from = to;
  };
  items.forEach(({ event, audience }, i) => {
    const rule = OWNER.get(event.type)?.audience;
    if (audience || !rule) return void audiences.push(audience ?? null);
    catchUp(i);
    audiences.push(rule(event, state) ?? null);
  });
  catchUp(items.length);
  return { state, audiences };
}

// Versions of stored events.

const UPGRADES = new Map<string, readonly Upgrade[]>(
  slices.flatMap((s) => Object.entries(s.upgrades ?? {}) as [string, readonly Upgrade[]][]),
);

/** The version an event of this type is written with today. */
export function eventVersion(type: string): number {
  return (UPGRADES.get(type)?.length ?? 0) + 1;
}

/**
 * An event as stored (its type, the version it was written with, its payload) as an event of
 * today: its upgrades run from that version on, then today's schema parses it. `upgrades`
 * defaults to the slices' own.
 */
export function readEvent(
  stored: { type: string; version: number; payload: Record<string, unknown> },
  schema: z.ZodType<MeetingEvent> = MeetingEvent,
  upgrades: ReadonlyMap<string, readonly Upgrade[]> = UPGRADES,
): MeetingEvent {
  let payload = stored.payload;
  for (const up of (upgrades.get(stored.type) ?? []).slice(Math.max(0, stored.version - 1))) payload = up(payload);
  return schema.parse({ ...payload, type: stored.type });
}

/** Whether an addressed event is for this participant. */
export function isAudience(audience: Audience | null | undefined, who: Viewer): boolean {
  if (!audience) return true;
  return Boolean(audience.participants?.includes(who.id) || audience.roles?.includes(who.role));
}

/** Whom an event is for by its slice's rule, judged on the state before it; null: everyone. */
export function audienceOf(event: MeetingEvent, state: MeetingState): Audience | null {
  return OWNER.get(event.type)?.audience?.(event, state) ?? null;
}

/**
 * The state as one participant may see it (each slice hides what is not theirs: the waiting
 * room, others' private messages, device hashes). Snapshots go through this; the events it
 * hides are addressed, so a participant's fold agrees.
 */
export function viewFor(state: MeetingState, who: Viewer): MeetingState {
  let view = state;
  for (const s of slices) if (s.view) view = s.view(view, state, who);
  return view;
}

/**
 * Whom a participant's view of this state is the same as: everyone of their role, unless some
 * slice shows them something of their own (their private messages, their poll answers, themself
 * under the participant-list lock); then only themself. Snapshots are computed once per class
 * and shared: `viewFor(state, who)` equals the view computed for any member of `viewClass`.
 */
export function viewClass(state: MeetingState, who: Viewer): string {
  return slices.some((s) => s.personal?.(state, who)) ? `participant:${who.id}` : `role:${who.role}`;
}

/** The fields of each event that parsing fills in when left out, by event type. */
const EVENT_DEFAULTS = new Map(
  slices.flatMap((s) => s.events.map((e) => [typeOf(e), fieldDefaults((e as z.ZodObject).shape)] as const)),
);

/**
 * A logged event as it goes to clients: its place, time and actor, and the event without
 * server-only fields. Shortened as `LoggedEvent` parsing restores it: no actor when it is the
 * event's subject, no field at its default (a class joining at once sends every arrival to
 * everyone: a third fewer bytes).
 */
export function loggedOnTheWire(e: Pick<LoggedEvent, 'seq' | 'at' | 'actor' | 'event'>): z.input<typeof LoggedEvent> {
  const event = eventForClients(e.event);
  const defaults = EVENT_DEFAULTS.get(event.type);
  return {
    seq: e.seq,
    at: e.at,
    ...(e.actor !== null && e.actor === subjectOf(event) ? {} : { actor: e.actor }),
    event: (defaults?.size ? withoutDefaults(event, defaults) : event) as MeetingEvent,
  };
}

/** An event as it goes to clients: without the fields kept on the server (device hashes). */
export function eventForClients(event: MeetingEvent): MeetingEvent {
  return OWNER.get(event.type)?.forClients?.(event) ?? event;
}

/** Whether a logged event goes to this participant, judged on the state after it. */
export function deliversTo(logged: Pick<LoggedEvent, 'audience' | 'event'>, state: MeetingState, who: Viewer): boolean {
  if (!isAudience(logged.audience, who)) return false;
  const subject = 'participantId' in logged.event ? logged.event.participantId : null;
  return typeof subject !== 'string' || seesParticipant(state, who, subject);
}

export { DEFAULT_SETTINGS };
export type { Viewer };
