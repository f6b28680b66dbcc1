import { z } from 'zod';
import { MeetingId, ParticipantId, Role } from './common';
import type { MeetingState } from './meeting';
import { RATES } from './rules';
import { defineSlice } from './slice';

// Breakout rooms. Each room is a meeting of its own (a child of the main meeting, with its own
// log, LiveKit room, chat, notes and whiteboard). The main meeting's log says which rooms exist,
// who is assigned where, who is in which room now and when they end; a room's log says whose
// child it is. Nobody is in two rooms' media at once: while someone is in a room (or a student
// is assigned to one), their grant in the main room's LiveKit room is nothing at all.

export const BREAKOUT_LIMITS = {
  minRooms: 2,
  maxRooms: 16,
  minMinutes: 1,
  maxMinutes: 240,
  nameLength: 60,
  /** The warning before the end. */
  warningMs: 60_000,
  messageLength: 1000,
} as const;

export const BreakoutRoomName = z
  .string()
  .max(BREAKOUT_LIMITS.nameLength * 2, 'too_long')
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'empty').max(BREAKOUT_LIMITS.nameLength, 'too_long'));

export const BreakoutRoom = z.object({
  /** The room's meeting id (also its LiveKit room's name). */
  id: MeetingId,
  number: z.number().int().min(1).max(BREAKOUT_LIMITS.maxRooms),
  name: z.string(),
});
export type BreakoutRoom = z.infer<typeof BreakoutRoom>;

/** What each room starts with on its screen. */
export const BreakoutContent = z.enum(['presentation', 'blank']);

export const Breakouts = z.object({
  rooms: z.array(BreakoutRoom),
  startedAt: z.string(),
  /** Server time the rooms close (moved by extensions). */
  endsAt: z.string(),
  /** Students pick their room themselves. */
  freeChoice: z.boolean(),
  /** Someone who joins the main meeting later is assigned to the emptiest room. */
  inviteLateJoiners: z.boolean(),
  content: BreakoutContent,
  /** Notes and whiteboard come back into the main room at the end. */
  capture: z.boolean(),
  /** The language of the captured presentations' names ("tableau blanc" or "whiteboard"). */
  language: z.enum(['fr', 'en']),
  /** Participant → room id they are to go to. */
  assigned: z.record(z.string(), MeetingId),
  /** Participant → room id they are in now (moderators visiting too). */
  inRoom: z.record(z.string(), MeetingId),
});
export type Breakouts = z.infer<typeof Breakouts>;

/** In a room's own state: whose room it is. */
export const BreakoutOf = z.object({
  parentId: MeetingId,
  number: z.number().int().min(1),
  name: z.string(),
});
export type BreakoutOf = z.infer<typeof BreakoutOf>;

/** A moderator's message to every room, as the room shows it. */
export const BreakoutMessage = z.object({ at: z.string(), from: z.string(), text: z.string() });
export type BreakoutMessage = z.infer<typeof BreakoutMessage>;

const MessageText = z
  .string()
  .max(BREAKOUT_LIMITS.messageLength * 2, 'too_long')
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'empty').max(BREAKOUT_LIMITS.messageLength, 'too_long'));

// Commands (main meeting, moderators)

export const BreakoutsStart = z
  .object({
    type: z.literal('breakouts.start'),
    rooms: z
      .array(z.object({ name: BreakoutRoomName, participantIds: z.array(ParticipantId).max(1000) }).strict())
      .min(BREAKOUT_LIMITS.minRooms)
      .max(BREAKOUT_LIMITS.maxRooms),
    durationMinutes: z.number().int().min(BREAKOUT_LIMITS.minMinutes).max(BREAKOUT_LIMITS.maxMinutes),
    freeChoice: z.boolean().default(false),
    inviteModerators: z.boolean().default(false),
    inviteLateJoiners: z.boolean().default(true),
    content: BreakoutContent.default('blank'),
    capture: z.boolean().default(true),
    /** The moderator's language: names what comes back ("Groupe 1 — tableau blanc"). */
    language: z.enum(['fr', 'en']).default('fr'),
  })
  .strict()
  .refine((c) => new Set(c.rooms.map((r) => r.name.toLowerCase())).size === c.rooms.length, {
    message: 'two rooms have the same name',
    path: ['rooms'],
  })
  .refine(
    (c) => {
      const ids = c.rooms.flatMap((r) => r.participantIds);
      return new Set(ids).size === ids.length;
    },
    { message: 'a participant is in two rooms', path: ['rooms'] },
  );
export const BreakoutsExtend = z
  .object({
    type: z.literal('breakouts.extend'),
    minutes: z.number().int().min(1).max(BREAKOUT_LIMITS.maxMinutes),
  })
  .strict();
/** Moves a participant to another room (they follow at once if they are in one). */
export const BreakoutsMove = z
  .object({ type: z.literal('breakouts.move'), participantId: ParticipantId, roomId: MeetingId })
  .strict();
export const BreakoutsBroadcast = z.object({ type: z.literal('breakouts.broadcast'), text: MessageText }).strict();
/** Brings the rooms' notes and whiteboards into the main room now, without ending. */
export const BreakoutsCapture = z.object({ type: z.literal('breakouts.capture') }).strict();
export const BreakoutsEnd = z.object({ type: z.literal('breakouts.end') }).strict();

// Events of the main meeting

export const BreakoutsStarted = z.object({
  type: z.literal('breakouts.started'),
  rooms: z.array(BreakoutRoom),
  endsAt: z.string(),
  freeChoice: z.boolean(),
  inviteLateJoiners: z.boolean(),
  content: BreakoutContent,
  capture: z.boolean(),
  language: z.enum(['fr', 'en']),
  assigned: z.record(z.string(), MeetingId),
});
export const BreakoutsAssigned = z.object({
  type: z.literal('breakouts.assigned'),
  participantId: ParticipantId,
  roomId: MeetingId,
});
export const BreakoutsEntered = z.object({
  type: z.literal('breakouts.entered'),
  participantId: ParticipantId,
  roomId: MeetingId,
});
export const BreakoutsExited = z.object({
  type: z.literal('breakouts.exited'),
  participantId: ParticipantId,
  roomId: MeetingId,
});
export const BreakoutsExtended = z.object({ type: z.literal('breakouts.extended'), endsAt: z.string() });
export const BreakoutsMessageSent = z.object({ type: z.literal('breakouts.message-sent'), text: z.string() });
/** A room's notes as text, kept in the main meeting's log when they are captured. */
export const BreakoutsNotesKept = z.object({
  type: z.literal('breakouts.notes-kept'),
  roomId: MeetingId,
  name: z.string(),
  text: z.string(),
});
/** A moderator asked for the rooms' notes and whiteboards now (the rooms stay open). */
export const BreakoutsCaptureRequested = z.object({ type: z.literal('breakouts.capture-requested') });
export const BreakoutsEnded = z.object({
  type: z.literal('breakouts.ended'),
  reason: z.enum(['moderator', 'time']),
  /** Whether the rooms' work comes back to the main room (the option chosen at the start). */
  capture: z.boolean(),
  language: z.enum(['fr', 'en']),
});

// Events of a room's own log

export const BreakoutOpened = z.object({
  type: z.literal('breakout.opened'),
  parentId: MeetingId,
  number: z.number().int().min(1),
  name: z.string(),
});
export const BreakoutMessageReceived = z.object({
  type: z.literal('breakout.message'),
  from: z.string(),
  text: z.string(),
});

export const BreakoutsState = z.object({
  breakouts: Breakouts.nullable().default(null),
  /** Set in a breakout room's own state. */
  breakoutOf: BreakoutOf.nullable().default(null),
  /** Moderators' messages to every room, in a room's state. */
  breakoutMessages: z.array(BreakoutMessage).default(() => []),
});

// Pure rules

/** The room this participant is in now, or null. */
export function roomOf(state: Pick<MeetingState, 'breakouts'>, participantId: string): BreakoutRoom | null {
  const b = state.breakouts;
  const id = b?.inRoom[participantId];
  return (id && b?.rooms.find((r) => r.id === id)) || null;
}

/** The room this participant is expected in, or null. */
export function assignedRoom(state: Pick<MeetingState, 'breakouts'>, participantId: string): BreakoutRoom | null {
  const b = state.breakouts;
  const id = b?.assigned[participantId];
  return (id && b?.rooms.find((r) => r.id === id)) || null;
}

/**
 * Whether this participant's media belongs to a breakout room now rather than the main room:
 * while they are in a room, and for students as soon as they are assigned (they are on their
 * way). Their grant in the main room is then nothing: no publishing, no listening.
 */
export function awayInBreakout(state: Pick<MeetingState, 'breakouts' | 'participants'>, participantId: string) {
  const b = state.breakouts;
  if (!b) return false;
  if (b.inRoom[participantId]) return true;
  return !!b.assigned[participantId] && state.participants[participantId]?.role !== 'moderator';
}

/**
 * Whether this participant may enter this room: a moderator any room; a student only the room
 * they are assigned to, or any room when students choose.
 */
export function mayEnterRoom(
  state: Pick<MeetingState, 'breakouts'>,
  who: { id: string; role: z.infer<typeof Role> },
  roomId: string,
): 'allowed' | 'not_found' | 'forbidden' {
  const b = state.breakouts;
  if (!b || !b.rooms.some((r) => r.id === roomId)) return 'not_found';
  if (who.role === 'moderator' || b.freeChoice) return 'allowed';
  return b.assigned[who.id] === roomId ? 'allowed' : 'forbidden';
}

/** Milliseconds left at server time `now` (never below zero). */
export function breakoutsLeftMs(b: Pick<Breakouts, 'endsAt'>, now: number): number {
  return Math.max(0, Date.parse(b.endsAt) - now);
}

/**
 * The end after an extension by `minutes`: added to the end, or to now if the end has passed
 * (a last-second extension still gives the full minutes). Never more than the longest duration
 * from now.
 */
export function extendedEnd(b: Pick<Breakouts, 'endsAt'>, minutes: number, now: number, minuteMs = 60_000): number {
  const from = Math.max(Date.parse(b.endsAt), now);
  return Math.min(from + minutes * minuteMs, now + BREAKOUT_LIMITS.maxMinutes * minuteMs);
}

/** When the one-minute warning is due (server time). */
export function warningAt(b: Pick<Breakouts, 'endsAt'>): number {
  return Date.parse(b.endsAt) - BREAKOUT_LIMITS.warningMs;
}

/**
 * Balanced random assignment: the people shuffled, then dealt round the rooms from the emptiest
 * (rooms' sizes differ by at most one). Moderators are left out unless `withModerators`.
 * `random` returns [0, 1) like Math.random (tests pass a seeded one).
 */
export function assignRandomly(
  people: readonly { id: string; role: z.infer<typeof Role> }[],
  rooms: number,
  withModerators: boolean,
  random: () => number = Math.random,
): string[][] {
  const ids = people.filter((p) => withModerators || p.role !== 'moderator').map((p) => p.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  // Which rooms get the one extra person is random too, not always the first ones.
  const order = Array.from({ length: rooms }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out: string[][] = Array.from({ length: rooms }, () => []);
  ids.forEach((id, i) => out[order[i % rooms]].push(id));
  return out;
}

/** The room with the fewest people assigned (the first such), for a late joiner. */
export function emptiestRoom(b: Pick<Breakouts, 'rooms' | 'assigned'>): BreakoutRoom | null {
  const counts = new Map(b.rooms.map((r) => [r.id, 0]));
  for (const id of Object.values(b.assigned)) counts.set(id, (counts.get(id) ?? 0) + 1);
  let best: BreakoutRoom | null = null;
  for (const r of b.rooms) if (!best || counts.get(r.id)! < counts.get(best.id)!) best = r;
  return best;
}

/** Who is in each room now, by room id. */
export function peopleByRoom(b: Pick<Breakouts, 'rooms' | 'inRoom'>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(b.rooms.map((r) => [r.id, []]));
  for (const [p, room] of Object.entries(b.inRoom)) out[room]?.push(p);
  return out;
}

function withRecord(rec: Record<string, string>, key: string, value: string | null): Record<string, string> {
  const next = { ...rec };
  if (value === null) delete next[key];
  else next[key] = value;
  return next;
}

export const breakouts = defineSlice({
  commands: [BreakoutsStart, BreakoutsExtend, BreakoutsMove, BreakoutsBroadcast, BreakoutsCapture, BreakoutsEnd],
  events: [
    BreakoutsStarted,
    BreakoutsAssigned,
    BreakoutsEntered,
    BreakoutsExited,
    BreakoutsExtended,
    BreakoutsMessageSent,
    BreakoutsNotesKept,
    BreakoutsCaptureRequested,
    BreakoutsEnded,
    BreakoutOpened,
    BreakoutMessageReceived,
  ],
  permissions: {
    'breakouts.start': { who: 'moderator', rate: RATES.moderation },
    'breakouts.extend': { who: 'moderator', rate: RATES.moderation },
    'breakouts.move': { who: 'moderator', rate: RATES.moderation },
    'breakouts.broadcast': { who: 'moderator', rate: RATES.chat },
    'breakouts.capture': { who: 'moderator', rate: RATES.rare },
    'breakouts.end': { who: 'moderator', rate: RATES.rare },
  },
  fold(state, e, at) {
    const b = state.breakouts;
    switch (e.type) {
      case 'breakouts.started':
        return {
          ...state,
          breakouts: {
            rooms: e.rooms,
            startedAt: at,
            endsAt: e.endsAt,
            freeChoice: e.freeChoice,
            inviteLateJoiners: e.inviteLateJoiners,
            content: e.content,
            capture: e.capture,
            language: e.language,
            assigned: e.assigned,
            inRoom: {},
          },
        };
      case 'breakouts.assigned':
        return b
          ? { ...state, breakouts: { ...b, assigned: withRecord(b.assigned, e.participantId, e.roomId) } }
          : state;
      case 'breakouts.entered':
        return b ? { ...state, breakouts: { ...b, inRoom: withRecord(b.inRoom, e.participantId, e.roomId) } } : state;
      case 'breakouts.exited':
        return b && b.inRoom[e.participantId] === e.roomId
          ? { ...state, breakouts: { ...b, inRoom: withRecord(b.inRoom, e.participantId, null) } }
          : state;
      case 'breakouts.extended':
        return b ? { ...state, breakouts: { ...b, endsAt: e.endsAt } } : state;
      case 'breakouts.ended':
        return { ...state, breakouts: null };
      case 'breakouts.message-sent':
      case 'breakouts.notes-kept':
      case 'breakouts.capture-requested':
        // Kept in the log (the record of the lesson), not in the state everyone receives.
        return state;
      case 'breakout.opened':
        return { ...state, breakoutOf: { parentId: e.parentId, number: e.number, name: e.name } };
      case 'breakout.message':
        return { ...state, breakoutMessages: [...state.breakoutMessages, { at, from: e.from, text: e.text }] };
    }
  },
  audience(e) {
    // A room's notes can be long: the staff's record, not everyone's download.
    return e.type === 'breakouts.notes-kept' ? { roles: ['moderator'] } : null;
  },
});

// Live requests (on the main meeting's socket)

/** Enter a breakout room: the reply is a session for the room's meeting, as a join's is. */
export const BreakoutJoinRequest = z.object({ roomId: MeetingId }).strict();
/** The session for a breakout room's meeting, as a join's (JoinResponse) is. */
export const BreakoutSession = z.object({
  meetingId: MeetingId,
  participantId: ParticipantId,
  sessionToken: z.string(),
  sessionExpiresAt: z.string(),
});
export type BreakoutSession = z.infer<typeof BreakoutSession>;
/** Back to the main room from a room (moderators visiting; students once their room is gone). */
export const BreakoutLeaveRequest = z.union([z.undefined(), z.null(), z.object({}).strict()]);

/** The name of what a room's work becomes in the main room: "Groupe 1 — notes", "Group 1 — whiteboard". */
export function capturedName(room: string, kind: 'notes' | 'whiteboard', language: 'fr' | 'en', nth = 1): string {
  const what = kind === 'notes' ? 'notes' : language === 'fr' ? 'tableau blanc' : 'whiteboard';
  return `${room} — ${what}${nth > 1 ? ` (${nth})` : ''}`;
}

/** A room's default name: "Groupe 3" in French, "Group 3" in English. */
export function defaultRoomName(n: number, language: 'fr' | 'en'): string {
  return `${language === 'fr' ? 'Groupe' : 'Group'} ${n}`;
}
