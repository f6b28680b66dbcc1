import { describe, expect, it } from 'vitest';
import {
  assign,
  columns,
  commandOf,
  defaultRoomCount,
  newDraft,
  randomly,
  withRoomCount,
  type Person,
} from './breakout-form';

const nameOf = (n: number) => `Groupe ${n}`;
const TEACHER: Person = { id: '00000000-0000-4000-8000-00000000000a', name: 'Mme Curie', role: 'moderator' };
const students: Person[] = ['b', 'c', 'd', 'e', 'f'].map((c, i) => ({
  id: `00000000-0000-4000-8000-00000000000${c}`,
  name: ['Léa', 'Noé', 'Inès', 'Hugo', 'Zoé'][i],
  role: 'viewer',
}));
const people = [TEACHER, ...students];
const [lea, noe, ines] = students;

/** A seeded random in [0, 1): the same draw every run. */
function seeded(seed = 7) {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
}

describe('the breakout form', () => {
  it('starts with named rooms of 15 minutes, nobody placed, late joiners sent and the work brought back', () => {
    expect(newDraft(2, nameOf)).toEqual({
      names: ['Groupe 1', 'Groupe 2'],
      minutes: 15,
      assignment: {},
      freeChoice: false,
      inviteModerators: false,
      inviteLateJoiners: true,
      content: 'blank',
      capture: true,
    });
    expect([0, 4, 5, 9, 30, 100].map(defaultRoomCount)).toEqual([2, 2, 2, 3, 8, 16]);
  });

  it('makes the command of who goes where, moderators staying unless invited', () => {
    let d = newDraft(2, nameOf);
    d = assign(assign(assign(d, lea.id, 0), noe.id, 1), TEACHER.id, 0);
    expect(commandOf(d, people)).toEqual({
      command: {
        type: 'breakouts.start',
        rooms: [
          { name: 'Groupe 1', participantIds: [lea.id] },
          { name: 'Groupe 2', participantIds: [noe.id] },
        ],
        durationMinutes: 15,
        freeChoice: false,
        inviteModerators: false,
        inviteLateJoiners: true,
        content: 'blank',
        capture: true,
        language: 'fr',
      },
    });
    expect(commandOf(d, people, 'en')).toMatchObject({ command: { language: 'en' } });
    const invited = commandOf({ ...d, inviteModerators: true }, people);
    expect(invited).toMatchObject({ command: { rooms: [{ participantIds: [TEACHER.id, lea.id] }, {}] } });
  });

  it('leaves out who has gone since being placed', () => {
    const d = assign(assign(newDraft(2, nameOf), lea.id, 0), ines.id, 1);
    expect(commandOf(d, [TEACHER, lea])).toMatchObject({
      command: { rooms: [{ participantIds: [lea.id] }, { participantIds: [] }] },
    });
  });

  it('names what to fix before sending', () => {
    const d = assign(newDraft(3, nameOf), lea.id, 0);
    expect(commandOf({ ...d, names: ['A', ' ', 'C'] }, people)).toEqual({ problem: 'name-empty' });
    expect(commandOf({ ...d, names: ['A', 'b'.repeat(61), 'C'] }, people)).toEqual({ problem: 'name-long' });
    expect(commandOf({ ...d, names: ['Rouge', 'rouge ', 'C'] }, people)).toEqual({ problem: 'names-same' });
    expect(commandOf({ ...d, names: ['A'] }, people)).toEqual({ problem: 'rooms' });
    for (const minutes of [null, 0, 241, 2.5])
      expect(commandOf({ ...d, minutes }, people)).toEqual({ problem: 'minutes' });
    expect(commandOf(newDraft(2, nameOf), people)).toEqual({ problem: 'nobody' });
    // Nobody placed is fine when students choose their room.
    expect(commandOf({ ...newDraft(2, nameOf), freeChoice: true }, people)).toHaveProperty('command');
  });

  it('trims names and collapses their spaces as the server will', () => {
    const d = assign({ ...newDraft(2, nameOf), names: ['  Les   volcans ', 'B'] }, lea.id, 0);
    expect(commandOf(d, people)).toMatchObject({ command: { rooms: [{ name: 'Les volcans' }, { name: 'B' }] } });
  });

  it('adds rooms with their default names, and sends the people of a room taken away back', () => {
    let d = assign(assign(newDraft(3, nameOf), lea.id, 2), noe.id, 0);
    d = { ...d, names: ['Rouge', 'Groupe 2', 'Groupe 3'] };
    const fewer = withRoomCount(d, 2, nameOf);
    expect(fewer.names).toEqual(['Rouge', 'Groupe 2']);
    expect(fewer.assignment).toEqual({ [noe.id]: 0 });
    expect(withRoomCount(fewer, 4, nameOf).names).toEqual(['Rouge', 'Groupe 2', 'Groupe 3', 'Groupe 4']);
    expect(withRoomCount(fewer, 40, nameOf).names).toHaveLength(16);
    expect(withRoomCount(fewer, Number.NaN, nameOf).names).toHaveLength(2);
  });

  it('assigns at random in balanced rooms, the moderator left out unless invited', () => {
    const d = randomly(newDraft(2, nameOf), people, seeded());
    const { rooms, unassigned } = columns(d, people);
    expect(rooms.map((r) => r.length).sort()).toEqual([2, 3]);
    expect(unassigned).toEqual([]);
    expect(d.assignment[TEACHER.id]).toBeUndefined();
    const withTeacher = randomly({ ...newDraft(3, nameOf), inviteModerators: true }, people, seeded(3));
    expect(Object.keys(withTeacher.assignment)).toHaveLength(6);
    expect(columns(withTeacher, people).rooms.map((r) => r.length)).toEqual([2, 2, 2]);
  });

  it('shows moderators in the columns only when they are invited', () => {
    const d = assign(newDraft(2, nameOf), lea.id, 1);
    expect(columns(d, people).unassigned.map((p) => p.name)).toEqual(['Noé', 'Inès', 'Hugo', 'Zoé']);
    expect(columns({ ...d, inviteModerators: true }, people).unassigned[0]).toBe(TEACHER);
    expect(columns(d, people).rooms[1]).toEqual([lea]);
  });
});
