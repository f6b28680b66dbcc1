import { NO_LOCKS } from './controls';
import { emptyMeeting, foldMeeting, viewClass, viewFor, type MeetingEvent, type MeetingState } from './meeting';

// Snapshots are computed once per view class and shared (the server's `sharedView`): whoever is
// in a role's class must see exactly what a stranger of that role sees.

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NOBODY = '00000000-0000-0000-0000-000000000000';
const TEACHER = id(1);
const ASSISTANT = id(2);
const STUDENTS = [id(3), id(4), id(5), id(6)];
const POLL = id(900);
const at = '2026-11-30T10:00:00.000Z';

function lesson(locked: boolean): MeetingState {
  const events: MeetingEvent[] = [
    {
      type: 'participant.joined',
      participantId: TEACHER,
      name: 'Mme Martin',
      role: 'moderator',
      audioMode: 'microphone',
    },
    { type: 'presenter.changed', participantId: TEACHER },
    {
      type: 'participant.joined',
      participantId: ASSISTANT,
      name: 'M. Roy',
      role: 'moderator',
      audioMode: 'listen-only',
    },
    ...STUDENTS.map((s, i): MeetingEvent => ({
      type: 'participant.joined',
      participantId: s,
      name: `Élève ${i}`,
      role: 'viewer',
      audioMode: 'listen-only',
      device: `device-${i}`,
    })),
    { type: 'hand.raised', participantId: STUDENTS[1] },
    { type: 'guest.waiting', guestId: id(50), name: 'Invité', audioMode: 'listen-only', device: 'd' },
    {
      type: 'chat.sent',
      messageId: id(100),
      from: STUDENTS[0],
      to: null,
      text: 'Bonjour',
      replyTo: null,
      mentions: [],
    },
    // A private conversation between a student and the teacher, and one between two students.
    {
      type: 'chat.sent',
      messageId: id(101),
      from: STUDENTS[0],
      to: TEACHER,
      text: 'Question',
      replyTo: null,
      mentions: [],
    },
    {
      type: 'chat.sent',
      messageId: id(102),
      from: STUDENTS[2],
      to: STUDENTS[3],
      text: 'psst',
      replyTo: null,
      mentions: [],
    },
    {
      type: 'poll.started',
      pollId: POLL,
      kind: 'letters',
      options: ['A', 'B', 'C'],
      multiple: false,
      anonymous: false,
      question: null,
      presentationId: null,
      page: null,
    },
    { type: 'poll.answered', pollId: POLL, participantId: STUDENTS[1], ballot: null, choices: [1], text: null },
    { type: 'poll.answered', pollId: POLL, participantId: ASSISTANT, ballot: null, choices: [0], text: null },
    ...(locked ? [{ type: 'locks.changed', locks: { ...NO_LOCKS, participantList: true } } as MeetingEvent] : []),
  ];
  let state = emptyMeeting(id(999), 'Salle', at);
  for (const event of events) state = foldMeeting(state, { at, event });
  return state;
}

describe('shared snapshots (view classes)', () => {
  for (const locked of [false, true]) {
    it(`gives everyone in a role's class exactly a stranger's view of that role${locked ? ' (participant list locked)' : ''}`, () => {
      const state = lesson(locked);
      const classes = new Set<string>();
      for (const p of Object.values(state.participants)) {
        const who = { id: p.id, role: p.role };
        const key = viewClass(state, who);
        classes.add(key);
        const own = viewFor(state, who);
        if (key.startsWith('role:')) expect(own).toEqual(viewFor(state, { id: NOBODY, role: p.role }));
        else expect(key).toBe(`participant:${p.id}`);
      }
      // Those with something of their own: the two ends of each private conversation and the voter.
      const personal = [...classes].filter((k) => k.startsWith('participant:'));
      if (!locked) {
        expect(personal.sort()).toEqual(
          [TEACHER, ASSISTANT, STUDENTS[0], STUDENTS[1], STUDENTS[2], STUDENTS[3]]
            .map((x) => `participant:${x}`)
            .sort(),
        );
      } else {
        // Under the lock every viewer sees themself: each is their own class.
        for (const s of STUDENTS) expect(classes).toContain(`participant:${s}`);
      }
    });
  }

  it('shares one view among students with nothing of their own', () => {
    let state = lesson(false);
    state = foldMeeting(state, {
      at,
      event: { type: 'participant.joined', participantId: id(7), name: 'Zoé', role: 'viewer', audioMode: 'microphone' },
    });
    state = foldMeeting(state, {
      at,
      event: {
        type: 'participant.joined',
        participantId: id(8),
        name: 'Malo',
        role: 'viewer',
        audioMode: 'microphone',
      },
    });
    expect(viewClass(state, { id: id(7), role: 'viewer' })).toBe('role:viewer');
    expect(viewClass(state, { id: id(8), role: 'viewer' })).toBe('role:viewer');
    expect(viewFor(state, { id: id(7), role: 'viewer' })).toEqual(viewFor(state, { id: id(8), role: 'viewer' }));
  });
});
