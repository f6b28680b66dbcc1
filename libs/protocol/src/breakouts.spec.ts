import {
  assignRandomly,
  awayInBreakout,
  BreakoutsStart,
  breakoutsLeftMs,
  capturedName,
  defaultRoomName,
  emptiestRoom,
  extendedEnd,
  mayEnterRoom,
  peopleByRoom,
  roomOf,
  warningAt,
} from './breakouts';
import { audienceOf, emptyMeeting, foldMeeting, type MeetingEvent, type MeetingState } from './meeting';

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ROOM1 = id(901);
const ROOM2 = id(902);
const TEACHER = id(1);

/** A seeded generator (mulberry32), so a failing shuffle can be replayed. */
function seeded(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fold(...steps: [number, MeetingEvent][]): MeetingState {
  let state = emptyMeeting(id(999), 'Histoire', at(0));
  const join = (pid: string, role: 'moderator' | 'viewer'): MeetingEvent => ({
    type: 'participant.joined',
    participantId: pid,
    name: pid.slice(-2),
    role,
    audioMode: 'microphone',
  });
  for (const e of [join(TEACHER, 'moderator'), join(id(2), 'viewer'), join(id(3), 'viewer'), join(id(4), 'viewer')])
    state = foldMeeting(state, { at: at(0), event: e });
  for (const [ms, event] of steps) state = foldMeeting(state, { at: at(ms), event });
  return state;
}

const started: MeetingEvent = {
  type: 'breakouts.started',
  rooms: [
    { id: ROOM1, number: 1, name: 'Groupe 1' },
    { id: ROOM2, number: 2, name: 'Groupe 2' },
  ],
  endsAt: at(15 * 60_000),
  freeChoice: false,
  inviteLateJoiners: true,
  content: 'blank',
  capture: true,
  language: 'fr',
  assigned: { [id(2)]: ROOM1, [id(3)]: ROOM2 },
};

describe('balanced random assignment', () => {
  const people = (students: number, moderators: number) => [
    ...Array.from({ length: moderators }, (_, i) => ({ id: `m${i}`, role: 'moderator' as const })),
    ...Array.from({ length: students }, (_, i) => ({ id: `s${i}`, role: 'viewer' as const })),
  ];

  it('deals everyone once, in rooms whose sizes differ by at most one, moderators left out', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const students = seed % 37;
      const rooms = 2 + (seed % 15);
      const out = assignRandomly(people(students, 2), rooms, false, seeded(seed));
      expect(out).toHaveLength(rooms);
      const sizes = out.map((r) => r.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      const all = out.flat();
      expect(all).toHaveLength(students);
      expect(new Set(all).size).toBe(students);
      expect(all.some((x) => x.startsWith('m'))).toBe(false);
    }
  });

  it('includes moderators when asked', () => {
    const out = assignRandomly(people(5, 2), 2, true, seeded(7));
    expect(out.flat().sort()).toEqual(['m0', 'm1', 's0', 's1', 's2', 's3', 's4']);
    expect(out.map((r) => r.length).sort()).toEqual([3, 4]);
  });

  it('shuffles: different draws give different groups, and the larger rooms are not always the first', () => {
    const draws = new Set<string>();
    const firstIsLarger = new Set<boolean>();
    for (let seed = 1; seed <= 30; seed++) {
      const out = assignRandomly(people(5, 0), 2, false, seeded(seed));
      draws.add(JSON.stringify(out.map((r) => [...r].sort())));
      firstIsLarger.add(out[0].length > out[1].length);
    }
    expect(draws.size).toBeGreaterThan(5);
    expect(firstIsLarger).toEqual(new Set([true, false]));
  });

  it('gives a late joiner the emptiest room', () => {
    const b = fold([0, started]).breakouts!;
    expect(emptiestRoom(b)?.id).toBe(ROOM1 === b.rooms[0].id ? ROOM1 : ROOM2);
    const more = fold([0, started], [10, { type: 'breakouts.assigned', participantId: id(4), roomId: ROOM1 }]);
    expect(emptiestRoom(more.breakouts!)?.id).toBe(ROOM2);
  });
});

describe('the breakouts timer', () => {
  const b = { endsAt: at(15 * 60_000) };

  it('counts what is left by the server clock, never below zero', () => {
    expect(breakoutsLeftMs(b, T0)).toBe(15 * 60_000);
    expect(breakoutsLeftMs(b, T0 + 14 * 60_000)).toBe(60_000);
    expect(breakoutsLeftMs(b, T0 + 20 * 60_000)).toBe(0);
  });

  it('warns one minute before the end', () => {
    expect(warningAt(b)).toBe(T0 + 14 * 60_000);
  });

  it('extends from the end, or from now once it has passed, and never beyond 240 minutes from now', () => {
    expect(extendedEnd(b, 5, T0)).toBe(T0 + 20 * 60_000);
    expect(extendedEnd(b, 5, T0 + 16 * 60_000)).toBe(T0 + 21 * 60_000);
    expect(extendedEnd(b, 240, T0)).toBe(T0 + 240 * 60_000);
    // With short "minutes" (integration tests: one minute is a second), the cap is in those minutes too.
    expect(extendedEnd({ endsAt: at(10_000) }, 5, T0, 1000)).toBe(T0 + 15_000);
    expect(extendedEnd(b, 5, T0, 1000)).toBe(T0 + 240_000);
  });
});

describe('the breakouts fold and rules', () => {
  it('folds start, entering, leaving, moves, extension and the end', () => {
    let s = fold([0, started]);
    expect(s.breakouts).toMatchObject({ startedAt: at(0), endsAt: at(15 * 60_000), inRoom: {} });
    s = fold(
      [0, started],
      [1, { type: 'breakouts.entered', participantId: id(2), roomId: ROOM1 }],
      [2, { type: 'breakouts.entered', participantId: TEACHER, roomId: ROOM2 }],
    );
    expect(roomOf(s, id(2))?.name).toBe('Groupe 1');
    expect(peopleByRoom(s.breakouts!)).toEqual({ [ROOM1]: [id(2)], [ROOM2]: [TEACHER] });
    // An exit from a room one is no longer in changes nothing (a late report after a move).
    const stale = foldMeeting(s, {
      at: at(3),
      event: { type: 'breakouts.exited', participantId: id(2), roomId: ROOM2 },
    });
    expect(stale.breakouts!.inRoom[id(2)]).toBe(ROOM1);
    const out = foldMeeting(s, { at: at(3), event: { type: 'breakouts.exited', participantId: id(2), roomId: ROOM1 } });
    expect(roomOf(out, id(2))).toBeNull();
    const moved = foldMeeting(s, {
      at: at(4),
      event: { type: 'breakouts.assigned', participantId: id(2), roomId: ROOM2 },
    });
    expect(moved.breakouts!.assigned[id(2)]).toBe(ROOM2);
    const longer = foldMeeting(s, { at: at(5), event: { type: 'breakouts.extended', endsAt: at(20 * 60_000) } });
    expect(longer.breakouts!.endsAt).toBe(at(20 * 60_000));
    const ended = foldMeeting(s, {
      at: at(6),
      event: { type: 'breakouts.ended', reason: 'moderator', capture: true, language: 'fr' },
    });
    expect(ended.breakouts).toBeNull();
  });

  it('keeps a room’s identity and the moderators’ messages in the room’s own state', () => {
    let s = emptyMeeting(ROOM1, 'Groupe 1', at(0));
    s = foldMeeting(s, {
      at: at(0),
      event: { type: 'breakout.opened', parentId: id(999), number: 1, name: 'Groupe 1' },
    });
    s = foldMeeting(s, {
      at: at(9),
      event: { type: 'breakout.message', from: 'Mme Martin', text: 'Encore 5 minutes' },
    });
    expect(s.breakoutOf).toEqual({ parentId: id(999), number: 1, name: 'Groupe 1' });
    expect(s.breakoutMessages).toEqual([{ at: at(9), from: 'Mme Martin', text: 'Encore 5 minutes' }]);
  });

  it('closes the main room’s media to assigned students and to anyone in a room, not to moderators merely invited', () => {
    const s = fold([
      0,
      { ...started, assigned: { ...(started as { assigned: object }).assigned, [TEACHER]: ROOM1 } } as MeetingEvent,
    ]);
    expect(awayInBreakout(s, id(2))).toBe(true);
    expect(awayInBreakout(s, id(4))).toBe(false);
    expect(awayInBreakout(s, TEACHER)).toBe(false);
    const visiting = foldMeeting(s, {
      at: at(1),
      event: { type: 'breakouts.entered', participantId: TEACHER, roomId: ROOM2 },
    });
    expect(awayInBreakout(visiting, TEACHER)).toBe(true);
    expect(awayInBreakout(fold(), id(2))).toBe(false);
  });

  it('lets a student enter only their room (any room when they choose), a moderator any room', () => {
    const s = fold([0, started]);
    expect(mayEnterRoom(s, { id: id(2), role: 'viewer' }, ROOM1)).toBe('allowed');
    expect(mayEnterRoom(s, { id: id(2), role: 'viewer' }, ROOM2)).toBe('forbidden');
    expect(mayEnterRoom(s, { id: id(4), role: 'viewer' }, ROOM1)).toBe('forbidden');
    expect(mayEnterRoom(s, { id: TEACHER, role: 'moderator' }, ROOM2)).toBe('allowed');
    expect(mayEnterRoom(s, { id: id(2), role: 'viewer' }, id(12345))).toBe('not_found');
    expect(mayEnterRoom(fold(), { id: TEACHER, role: 'moderator' }, ROOM1)).toBe('not_found');
    const free = fold([0, { ...started, freeChoice: true } as MeetingEvent]);
    expect(mayEnterRoom(free, { id: id(4), role: 'viewer' }, ROOM2)).toBe('allowed');
  });

  it('addresses the kept notes to moderators only', () => {
    const e: MeetingEvent = { type: 'breakouts.notes-kept', roomId: ROOM1, name: 'Groupe 1', text: 'x' };
    expect(audienceOf(e, fold())).toEqual({ roles: ['moderator'] });
    expect(audienceOf(started, fold())).toBeNull();
  });

  it('names rooms and what comes back in the moderator’s language', () => {
    expect(defaultRoomName(3, 'fr')).toBe('Groupe 3');
    expect(defaultRoomName(3, 'en')).toBe('Group 3');
    expect(capturedName('Groupe 1', 'notes', 'fr')).toBe('Groupe 1 — notes');
    expect(capturedName('Groupe 1', 'whiteboard', 'fr')).toBe('Groupe 1 — tableau blanc');
    expect(capturedName('Group 1', 'whiteboard', 'en', 2)).toBe('Group 1 — whiteboard (2)');
  });
});

describe('the start command’s schema', () => {
  const rooms = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `G${i + 1}`, participantIds: [] }));
  const parse = (over: Record<string, unknown>) =>
    BreakoutsStart.safeParse({ type: 'breakouts.start', rooms: rooms(2), durationMinutes: 15, ...over });

  it('accepts 2 to 16 rooms of 1 to 240 minutes, with defaults for the options', () => {
    expect(parse({}).data).toMatchObject({
      freeChoice: false,
      inviteModerators: false,
      inviteLateJoiners: true,
      content: 'blank',
      capture: true,
      language: 'fr',
    });
    expect(parse({ rooms: rooms(16), durationMinutes: 240 }).success).toBe(true);
    expect(parse({ durationMinutes: 1 }).success).toBe(true);
  });

  it('refuses too few or too many rooms, durations out of range, blank or repeated names, someone in two rooms', () => {
    expect(parse({ rooms: rooms(1) }).success).toBe(false);
    expect(parse({ rooms: rooms(17) }).success).toBe(false);
    expect(parse({ durationMinutes: 0 }).success).toBe(false);
    expect(parse({ durationMinutes: 241 }).success).toBe(false);
    expect(parse({ durationMinutes: 1.5 }).success).toBe(false);
    expect(parse({ rooms: [{ name: '  ', participantIds: [] }, ...rooms(1)] }).success).toBe(false);
    expect(parse({ rooms: [{ name: 'g1', participantIds: [] }, ...rooms(1)] }).success).toBe(false);
    expect(
      parse({
        rooms: [
          { name: 'A', participantIds: [id(2)] },
          { name: 'B', participantIds: [id(2)] },
        ],
      }).success,
    ).toBe(false);
    expect(parse({ extra: true }).success).toBe(false);
  });
});
