import { assignRandomly, BREAKOUT_LIMITS, BreakoutsStart, type BreakoutContent } from '@estrade/protocol';
import type { z } from 'zod';

export type BreakoutsStartCommand = z.infer<typeof BreakoutsStart>;

/** Someone who may be put in a room: present in the main meeting now. */
export interface Person {
  id: string;
  name: string;
  role: 'moderator' | 'viewer';
}

/** What the moderator is filling in before opening the rooms. */
export interface BreakoutDraft {
  /** The rooms' names as typed, one per room. */
  names: string[];
  /** As typed: a number input gives a number, or null when empty. */
  minutes: number | null;
  /** Participant → index of their room; absent: stays in the main room. */
  assignment: Record<string, number>;
  freeChoice: boolean;
  inviteModerators: boolean;
  inviteLateJoiners: boolean;
  content: z.infer<typeof BreakoutContent>;
  capture: boolean;
}

export const DEFAULT_MINUTES = 15;

/** About four students a room, two rooms at least: a first guess the moderator may change. */
export function defaultRoomCount(students: number): number {
  return Math.min(BREAKOUT_LIMITS.maxRooms, Math.max(BREAKOUT_LIMITS.minRooms, Math.ceil(students / 4)));
}

/** `nameOf(n)` is room n's default name in the moderator's language ("Groupe 1"). */
export function newDraft(rooms: number, nameOf: (n: number) => string): BreakoutDraft {
  return {
    names: Array.from({ length: rooms }, (_, i) => nameOf(i + 1)),
    minutes: DEFAULT_MINUTES,
    assignment: {},
    freeChoice: false,
    inviteModerators: false,
    inviteLateJoiners: true,
    content: 'blank',
    capture: true,
  };
}

/** More or fewer rooms: new ones take their default name; people of a room taken away are unassigned. */
export function withRoomCount(d: BreakoutDraft, count: number, nameOf: (n: number) => string): BreakoutDraft {
  const n = Math.min(BREAKOUT_LIMITS.maxRooms, Math.max(BREAKOUT_LIMITS.minRooms, Math.floor(count) || 0));
  const names = d.names.slice(0, n);
  for (let i = names.length; i < n; i++) names.push(nameOf(i + 1));
  const assignment = Object.fromEntries(Object.entries(d.assignment).filter(([, room]) => room < n));
  return { ...d, names, assignment };
}

/** Who the moderator may place: students, and moderators too when they are invited. */
export function placeable(people: readonly Person[], d: Pick<BreakoutDraft, 'inviteModerators'>): Person[] {
  return people.filter((p) => d.inviteModerators || p.role !== 'moderator');
}

/** One person to a room (an index), or back to the main room (null). */
export function assign(d: BreakoutDraft, participantId: string, room: number | null): BreakoutDraft {
  const assignment = { ...d.assignment };
  if (room === null) delete assignment[participantId];
  else assignment[participantId] = room;
  return { ...d, assignment };
}

/** Balanced at random over the rooms (the protocol's rule: moderators only when invited). */
export function randomly(
  d: BreakoutDraft,
  people: readonly Person[],
  random: () => number = Math.random,
): BreakoutDraft {
  const groups = assignRandomly(people, d.names.length, d.inviteModerators, random);
  const assignment: Record<string, number> = {};
  groups.forEach((ids, room) => ids.forEach((id) => (assignment[id] = room)));
  return { ...d, assignment };
}

/** The people of each room, in the order given, and those in no room: what the columns show. */
export function columns(d: BreakoutDraft, people: readonly Person[]): { rooms: Person[][]; unassigned: Person[] } {
  const rooms: Person[][] = d.names.map(() => []);
  const unassigned: Person[] = [];
  for (const p of placeable(people, d)) {
    const room = d.assignment[p.id];
    if (room !== undefined && rooms[room]) rooms[room].push(p);
    else unassigned.push(p);
  }
  return { rooms, unassigned };
}

/** Why a draft cannot be sent yet; each has a text in messages.ts (`breakouts.problem.<problem>`). */
export type DraftProblem = 'rooms' | 'name-empty' | 'name-long' | 'names-same' | 'minutes' | 'nobody';

/**
 * The breakouts.start command a draft makes for the people present now, or what to fix first.
 * The checks the moderator can act on are said in their words here; the protocol's schema has the
 * last word.
 */
export function commandOf(
  d: BreakoutDraft,
  people: readonly Person[],
  /** The moderator's language: what names the work brought back ("Groupe 1 — tableau blanc"). */
  language: 'fr' | 'en' = 'fr',
): { command: BreakoutsStartCommand } | { problem: DraftProblem } {
  if (d.names.length < BREAKOUT_LIMITS.minRooms || d.names.length > BREAKOUT_LIMITS.maxRooms)
    return { problem: 'rooms' };
  const names = d.names.map((n) => n.trim().replace(/\s+/g, ' '));
  if (names.some((n) => !n)) return { problem: 'name-empty' };
  if (names.some((n) => n.length > BREAKOUT_LIMITS.nameLength)) return { problem: 'name-long' };
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) return { problem: 'names-same' };
  const minutes = d.minutes;
  if (
    minutes === null ||
    !Number.isInteger(minutes) ||
    minutes < BREAKOUT_LIMITS.minMinutes ||
    minutes > BREAKOUT_LIMITS.maxMinutes
  )
    return { problem: 'minutes' };
  const { rooms } = columns(d, people);
  if (!d.freeChoice && rooms.every((r) => r.length === 0)) return { problem: 'nobody' };
  const command = BreakoutsStart.parse({
    type: 'breakouts.start',
    rooms: names.map((name, i) => ({ name, participantIds: rooms[i].map((p) => p.id) })),
    durationMinutes: minutes,
    freeChoice: d.freeChoice,
    inviteModerators: d.inviteModerators,
    inviteLateJoiners: d.inviteLateJoiners,
    content: d.content,
    capture: d.capture,
    language,
  });
  return { command };
}
