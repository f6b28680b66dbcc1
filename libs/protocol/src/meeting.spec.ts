import { DisplayName, hasUnstorableText, RoomName } from './common';
import { CHAT_LIMITS, CHAT_PAGE, findMentions } from './chat';
import {
  audienceOf,
  deliversTo,
  emptyMeeting,
  eventForClients,
  foldDecision,
  foldEvents,
  foldMeeting,
  isAudience,
  LoggedEvent,
  loggedOnTheWire,
  viewFor,
  MeetingEvent,
  readEvent,
  Snapshot,
  snapshotOnTheWire,
  type MeetingState,
} from './meeting';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

function fold(...events: MeetingEvent[]): MeetingState {
  return events.reduce(
    (s, event, i) => foldMeeting(s, { at: `2026-11-23T10:00:0${i}.000Z`, event }),
    emptyMeeting('00000000-0000-4000-8000-000000000001', 'Maths', '2026-11-23T09:59:00.000Z'),
  );
}

describe('the meeting fold', () => {
  it('adds a participant who joins, present, with role and audio mode', () => {
    const s = fold({
      type: 'participant.joined',
      participantId: A,
      name: 'Alice',
      role: 'viewer',
      audioMode: 'listen-only',
    });
    expect(s.participants[A]).toEqual({
      id: A,
      name: 'Alice',
      role: 'viewer',
      audioMode: 'listen-only',
      present: true,
      inMedia: false,
      leftReason: null,
      joinedAt: '2026-11-23T10:00:00.000Z',
      status: null,
      reaction: null,
    });
  });

  it('keeps a participant who left, not present, with the reason, and their first join time on return', () => {
    const s = fold(
      { type: 'participant.joined', participantId: A, name: 'Alice', role: 'viewer', audioMode: 'microphone' },
      { type: 'participant.left', participantId: A, reason: 'disconnected' },
    );
    expect(s.participants[A]).toMatchObject({ present: false, leftReason: 'disconnected' });
    const back = foldMeeting(s, {
      at: '2026-11-23T10:05:00.000Z',
      event: { type: 'participant.joined', participantId: A, name: 'Alice', role: 'viewer', audioMode: 'microphone' },
    });
    expect(back.participants[A]).toMatchObject({
      present: true,
      leftReason: null,
      joinedAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('changes audio mode, role and media presence of that participant only', () => {
    const s = fold(
      { type: 'participant.joined', participantId: A, name: 'Alice', role: 'viewer', audioMode: 'microphone' },
      { type: 'participant.joined', participantId: B, name: 'Bob', role: 'viewer', audioMode: 'microphone' },
      { type: 'participant.audio-mode-changed', participantId: A, audioMode: 'listen-only' },
      { type: 'participant.role-changed', participantId: B, role: 'moderator' },
      { type: 'participant.media-changed', participantId: B, connected: true },
    );
    expect(s.participants[A]).toMatchObject({ audioMode: 'listen-only', role: 'viewer', inMedia: false });
    expect(s.participants[B]).toMatchObject({ audioMode: 'microphone', role: 'moderator', inMedia: true });
  });

  it('ignores events about someone it does not know', () => {
    const s = fold({ type: 'participant.role-changed', participantId: A, role: 'moderator' });
    expect(s.participants).toEqual({});
  });

  it('ends the meeting: time recorded, everyone present marked gone for that reason', () => {
    const s = fold(
      { type: 'participant.joined', participantId: A, name: 'Alice', role: 'viewer', audioMode: 'microphone' },
      { type: 'participant.joined', participantId: B, name: 'Bob', role: 'viewer', audioMode: 'microphone' },
      { type: 'participant.left', participantId: B, reason: 'left' },
      { type: 'meeting.ended', roomClosed: false, reason: 'moderator' },
    );
    expect(s.endedAt).toBe('2026-11-23T10:00:03.000Z');
    expect(s.participants[A]).toMatchObject({ present: false, leftReason: 'meeting_ended' });
    expect(s.participants[B]).toMatchObject({ present: false, leftReason: 'left' });
  });

  it('does not mutate the state it is given', () => {
    const s = fold({
      type: 'participant.joined',
      participantId: A,
      name: 'Alice',
      role: 'viewer',
      audioMode: 'microphone',
    });
    const copy = structuredClone(s);
    foldMeeting(s, { at: 'x', event: { type: 'participant.left', participantId: A, reason: 'left' } });
    expect(s).toEqual(copy);
  });
});

describe('folding several events at once', () => {
  const start = emptyMeeting('00000000-0000-4000-8000-000000000001', 'Maths', '2026-11-23T09:59:00.000Z');
  const joined = (participantId: string, name: string): MeetingEvent => ({
    type: 'participant.joined',
    participantId,
    name,
    role: 'viewer',
    audioMode: 'listen-only',
  });
  const events: MeetingEvent[] = [
    joined(A, 'Alice'),
    joined(B, 'Bob'),
    { type: 'presenter.changed', participantId: A },
    { type: 'hand.raised', participantId: B },
    { type: 'participant.media-changed', participantId: B, connected: true },
    { type: 'participant.left', participantId: A, reason: 'disconnected' },
    { type: 'participant.left', participantId: B, reason: 'left' },
    joined(C, 'Chloé'),
    joined(A, 'Alice'),
    { type: 'participant.banned', participantId: B, device: 'd' },
    { type: 'participant.role-changed', participantId: C, role: 'moderator' },
    { type: 'participant.audio-mode-changed', participantId: C, audioMode: 'microphone' },
    {
      type: 'chat.sent',
      messageId: '00000000-0000-4000-8000-0000000000e9',
      from: A,
      to: C,
      text: 'x',
      replyTo: null,
      mentions: [],
    },
    { type: 'participant.left', participantId: C, reason: 'removed' },
  ];
  const logged = events.map((event, i) => ({ at: `2026-11-23T10:00:${String(i).padStart(2, '0')}.000Z`, event }));

  it('reaches the state of folding them one by one, leaving the state it is given as it was', () => {
    const copy = structuredClone(start);
    expect(foldEvents(start, logged)).toEqual(logged.reduce(foldMeeting, start));
    expect(start).toEqual(copy);
    // Every prefix too: a run cut anywhere folds the same.
    for (let n = 0; n <= logged.length; n++) {
      expect(foldEvents(start, logged.slice(0, n))).toEqual(logged.slice(0, n).reduce(foldMeeting, start));
    }
  });

  it('judges each event of a decision on the state just before it, unless it names its audience', () => {
    const at = '2026-11-23T10:00:00.000Z';
    const items = events.map((event) => ({ event }));
    const { state, audiences } = foldDecision(start, items, at);
    let before = start;
    const expected = events.map((event) => {
      const audience = audienceOf(event, before);
      before = foldMeeting(before, { at, event });
      return audience;
    });
    expect(audiences).toEqual(expected);
    expect(audiences.at(-2)).toEqual({ participants: [A, C] });
    expect(state).toEqual(before);
    const named = { roles: ['moderator' as const] };
    expect(foldDecision(start, [{ event: events[0], audience: named }], at).audiences).toEqual([named]);
  });
});

describe('snapshots on the wire', () => {
  it('leave out ids and defaults, and parse back to the same snapshot', () => {
    const s = fold(
      { type: 'participant.joined', participantId: A, name: 'Alice', role: 'moderator', audioMode: 'microphone' },
      { type: 'participant.joined', participantId: B, name: 'Bob', role: 'viewer', audioMode: 'listen-only' },
      { type: 'participant.joined', participantId: C, name: 'Chloé', role: 'viewer', audioMode: 'listen-only' },
      { type: 'participant.media-changed', participantId: A, connected: true },
      { type: 'participant.status-changed', participantId: B, status: 'away' },
      { type: 'participant.reacted', participantId: B, reaction: 'thumbs-up' },
      { type: 'participant.left', participantId: C, reason: 'disconnected' },
    );
    const snapshot = { seq: 7, state: viewFor(s, { id: B, role: 'viewer' }) };
    const wire = JSON.parse(JSON.stringify(snapshotOnTheWire(snapshot)));
    // A listening student, the common case: role and audio mode left out too.
    expect(wire.state.participants[B]).toEqual({
      name: 'Bob',
      status: 'away',
      reaction: { reaction: 'thumbs-up', at: '2026-11-23T10:00:05.000Z' },
      joinedAt: '2026-11-23T10:00:01.000Z',
    });
    expect(wire.state.participants[C]).toMatchObject({ present: false, leftReason: 'disconnected' });
    expect(wire.state.participants[A]).toMatchObject({ inMedia: true, role: 'moderator', audioMode: 'microphone' });
    expect(Snapshot.parse(wire)).toEqual(JSON.parse(JSON.stringify(snapshot)));
    // A snapshot in full still parses (an older server's).
    expect(Snapshot.parse(JSON.parse(JSON.stringify(snapshot)))).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });
});

describe('events on the wire', () => {
  const at = '2026-11-23T10:00:01.000Z';
  const roundTrip = (e: { seq: number; actor: string | null; event: MeetingEvent }) => {
    const wire = JSON.parse(JSON.stringify(loggedOnTheWire({ ...e, at })));
    return { wire, parsed: LoggedEvent.parse(wire) };
  };

  it('leave out the actor when it is the subject, and fields at their default', () => {
    const { wire, parsed } = roundTrip({
      seq: 3,
      actor: B,
      event: {
        type: 'participant.joined',
        participantId: B,
        name: 'Bob',
        role: 'viewer',
        audioMode: 'listen-only',
        device: 'h',
      },
    });
    // No device hash either: it never leaves the server.
    expect(wire).toEqual({ seq: 3, at, event: { type: 'participant.joined', participantId: B, name: 'Bob' } });
    expect(parsed).toEqual({
      seq: 3,
      at,
      actor: B,
      event: { type: 'participant.joined', participantId: B, name: 'Bob', role: 'viewer', audioMode: 'listen-only' },
    });
  });

  it('keep an actor who is someone else, or nobody (the server), and fields away from their default', () => {
    const joined: MeetingEvent = {
      type: 'participant.joined',
      participantId: A,
      name: 'Alice',
      role: 'moderator',
      audioMode: 'microphone',
    };
    expect(roundTrip({ seq: 1, actor: A, event: joined }).wire.event).toMatchObject({
      role: 'moderator',
      audioMode: 'microphone',
    });
    const changed = { type: 'participant.role-changed' as const, participantId: B, role: 'moderator' as const };
    expect(roundTrip({ seq: 2, actor: A, event: changed })).toMatchObject({ wire: { actor: A }, parsed: { actor: A } });
    const left = { type: 'participant.left' as const, participantId: B, reason: 'disconnected' as const };
    expect(roundTrip({ seq: 3, actor: null, event: left })).toMatchObject({
      wire: { actor: null },
      parsed: { actor: null },
    });
    const sent = {
      type: 'chat.sent' as const,
      messageId: C,
      from: A,
      to: null,
      text: 'Bonjour',
      replyTo: null,
      mentions: [],
    };
    expect(roundTrip({ seq: 4, actor: A, event: sent }).parsed).toEqual({ seq: 4, at, actor: A, event: sent });
  });
});

describe("the fold of the teacher's controls", () => {
  const joinBoth: MeetingEvent[] = [
    { type: 'participant.joined', participantId: A, name: 'Alice', role: 'moderator', audioMode: 'microphone' },
    { type: 'participant.joined', participantId: B, name: 'Bob', role: 'viewer', audioMode: 'microphone' },
  ];

  it('keeps one presenter, who loses the role on leaving', () => {
    const s = fold(
      ...joinBoth,
      { type: 'presenter.changed', participantId: A },
      { type: 'presenter.changed', participantId: B },
    );
    expect(s.presenterId).toBe(B);
    expect(
      foldMeeting(s, { at: 'x', event: { type: 'participant.left', participantId: B, reason: 'left' } }).presenterId,
    ).toBeNull();
  });

  it('queues raised hands in the order they were raised, once each, and drops those who leave', () => {
    const C = '00000000-0000-4000-8000-00000000000c';
    const s = fold(
      ...joinBoth,
      { type: 'participant.joined', participantId: C, name: 'Chloé', role: 'viewer', audioMode: 'microphone' },
      { type: 'hand.raised', participantId: C },
      { type: 'hand.raised', participantId: B },
      { type: 'hand.raised', participantId: C },
    );
    expect(s.hands).toEqual([C, B]);
    expect(foldMeeting(s, { at: 'x', event: { type: 'hand.lowered', participantId: C } }).hands).toEqual([B]);
    expect(
      foldMeeting(s, { at: 'x', event: { type: 'participant.left', participantId: B, reason: 'disconnected' } }).hands,
    ).toEqual([C]);
  });

  it('keeps a status and the last reaction with its time, until a moderator clears them', () => {
    const s = fold(
      ...joinBoth,
      { type: 'participant.status-changed', participantId: B, status: 'away' },
      { type: 'participant.reacted', participantId: A, reaction: 'applause' },
    );
    expect(s.participants[B].status).toBe('away');
    expect(s.participants[A].reaction).toEqual({ reaction: 'applause', at: '2026-11-23T10:00:03.000Z' });
    const cleared = foldMeeting(s, { at: 'x', event: { type: 'statuses.cleared' } });
    expect([cleared.participants[A].reaction, cleared.participants[B].status]).toEqual([null, null]);
  });

  it('replaces the lock settings as a whole', () => {
    const locks = { ...emptyMeeting('m', 'r', 't').locks, microphone: true, publicChat: true };
    expect(fold(...joinBoth, { type: 'locks.changed', locks }).locks).toEqual(locks);
  });
});

describe('what a viewer may see', () => {
  const C = '00000000-0000-4000-8000-00000000000c';
  const base = fold(
    { type: 'participant.joined', participantId: A, name: 'Alice', role: 'moderator', audioMode: 'microphone' },
    { type: 'participant.joined', participantId: B, name: 'Bob', role: 'viewer', audioMode: 'microphone' },
    { type: 'participant.joined', participantId: C, name: 'Chloé', role: 'viewer', audioMode: 'microphone' },
    { type: 'hand.raised', participantId: C },
    { type: 'guest.waiting', guestId: '00000000-0000-4000-8000-0000000000ff', name: 'Eve', audioMode: 'microphone' },
  );
  const locked = { ...base, locks: { ...base.locks, participantList: true } };

  it('never includes the waiting room for a viewer; a moderator sees it all', () => {
    expect(viewFor(base, { id: B, role: 'viewer' }).waiting).toEqual({});
    expect(viewFor(base, { id: A, role: 'moderator' })).toEqual(base);
  });

  it('shows everyone, moderators too, the public chat and their own conversations only, the last page of it', () => {
    const msg = (i: number, from: string, to: string | null): MeetingEvent => ({
      type: 'chat.sent',
      messageId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      from,
      to,
      text: `m${i}`,
      replyTo: null,
      mentions: [],
    });
    let s = base;
    for (let i = 0; i < 60; i++) s = foldMeeting(s, { at: 't', event: msg(i, B, null) });
    s = foldMeeting(s, { at: 't', event: msg(100, B, C) });
    const forTeacher = viewFor(s, { id: A, role: 'moderator' }).chat;
    expect(forTeacher).toHaveLength(50);
    expect(forTeacher.map((m) => m.text)).not.toContain('m100');
    expect(forTeacher.at(-1)!.text).toBe('m59');
    expect(viewFor(s, { id: C, role: 'viewer' }).chat.at(-1)!.text).toBe('m100');
  });

  it('under the participant-list lock shows a viewer the moderators, the presenter and themself only', () => {
    expect(Object.keys(viewFor(locked, { id: B, role: 'viewer' }).participants).sort()).toEqual([A, B].sort());
    expect(viewFor(locked, { id: B, role: 'viewer' }).hands).toEqual([]);
    const presenting = { ...locked, presenterId: C };
    expect(Object.keys(viewFor(presenting, { id: B, role: 'viewer' }).participants).sort()).toEqual([A, B, C].sort());
  });

  it('delivers events about other viewers to a viewer only without that lock', () => {
    const aboutC = { audience: null, event: { type: 'hand.lowered' as const, participantId: C } };
    expect(deliversTo(aboutC, base, { id: B, role: 'viewer' })).toBe(true);
    expect(deliversTo(aboutC, locked, { id: B, role: 'viewer' })).toBe(false);
    expect(deliversTo(aboutC, locked, { id: C, role: 'viewer' })).toBe(true);
    expect(deliversTo(aboutC, locked, { id: A, role: 'moderator' })).toBe(true);
    const forModerators = {
      audience: { roles: ['moderator' as const] },
      event: { type: 'guests.messaged' as const, text: 'x' },
    };
    expect(deliversTo(forModerators, base, { id: B, role: 'viewer' })).toBe(false);
  });
});

describe('the chat fold', () => {
  const M = '00000000-0000-4000-8000-0000000000e1';
  const P = '00000000-0000-4000-8000-0000000000e2';
  const sent = fold(
    { type: 'chat.sent', messageId: M, from: A, to: null, text: 'Bonjour', replyTo: null, mentions: [B] },
    { type: 'chat.sent', messageId: P, from: A, to: B, text: 'En privé', replyTo: null, mentions: [] },
  );

  it('keeps messages in order with their reply, mentions and time', () => {
    expect(sent.chat.map((m) => [m.text, m.to, m.mentions, m.at])).toEqual([
      ['Bonjour', null, [B], '2026-11-23T10:00:00.000Z'],
      ['En privé', B, [], '2026-11-23T10:00:01.000Z'],
    ]);
  });

  it('edits, toggles reactions, deletes', () => {
    let s = foldMeeting(sent, { at: 'e', event: { type: 'chat.edited', messageId: M, text: 'Salut', mentions: [] } });
    s = foldMeeting(s, {
      at: 'r',
      event: { type: 'chat.reaction-toggled', messageId: M, by: B, reaction: 'heart', on: true },
    });
    expect(s.chat[0]).toMatchObject({ text: 'Salut', editedAt: 'e', reactions: { heart: [B] } });
    s = foldMeeting(s, {
      at: 'r',
      event: { type: 'chat.reaction-toggled', messageId: M, by: B, reaction: 'heart', on: false },
    });
    expect(s.chat[0].reactions.heart).toEqual([]);
    s = foldMeeting(s, { at: 'd', event: { type: 'chat.deleted', messageId: M } });
    expect(s.chat[0]).toMatchObject({ deleted: true, text: '' });
  });

  it('keeps the newest messages within its bounds, by count and by text, edits included', () => {
    const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const say = (i: number, text: string): MeetingEvent => ({
      type: 'chat.sent',
      messageId: id(i),
      from: A,
      to: null,
      text,
      replyTo: null,
      mentions: [],
    });
    let s = fold();
    for (let i = 1; i <= CHAT_LIMITS.kept + 10; i++) s = foldMeeting(s, { at: 't', event: say(i, 'ok') });
    expect(s.chat.length).toBe(CHAT_LIMITS.kept);
    expect(s.chat[0].id).toBe(id(11));
    const long = 'x'.repeat(5000);
    for (let i = 2000; i < 2200; i++) s = foldMeeting(s, { at: 't', event: say(i, long) });
    expect(s.chat.reduce((n, m) => n + m.text.length, 0)).toBeLessThanOrEqual(CHAT_LIMITS.keptChars);
    expect(s.chat.at(-1)!.id).toBe(id(2199));
    // Many short messages edited long add up too.
    let e = fold();
    for (let i = 1; i <= 200; i++) e = foldMeeting(e, { at: 't', event: say(i, 'a') });
    for (let i = 1; i <= 200; i++)
      e = foldMeeting(e, { at: 'e', event: { type: 'chat.edited', messageId: id(i), text: long, mentions: [] } });
    expect(e.chat.reduce((n, m) => n + m.text.length, 0)).toBeLessThanOrEqual(CHAT_LIMITS.keptChars);
    // A snapshot carries the last page within its own bound.
    const view = viewFor(s, { id: B, role: 'viewer' });
    expect(view.chat.length).toBeLessThan(CHAT_PAGE);
    expect(view.chat.reduce((n, m) => n + m.text.length, 0)).toBeLessThanOrEqual(CHAT_LIMITS.snapshotChars);
    expect(view.chat.at(-1)!.id).toBe(id(2199));
  });

  it('clears the public chat and keeps private conversations', () => {
    const s = foldMeeting(sent, { at: 'c', event: { type: 'chat.cleared' } });
    expect(s.chat.map((m) => m.id)).toEqual([P]);
    expect(s.chatClearedAt).toBe('c');
  });

  it('addresses a private message and what happens to it to its two ends only', () => {
    expect(
      audienceOf({ type: 'chat.sent', messageId: P, from: A, to: B, text: 'x', replyTo: null, mentions: [] }, sent),
    ).toEqual({ participants: [A, B] });
    expect(audienceOf({ type: 'chat.deleted', messageId: P }, sent)).toEqual({ participants: [A, B] });
    expect(audienceOf({ type: 'chat.deleted', messageId: M }, sent)).toBeNull();
  });
});

describe('mentions', () => {
  it('find @names of participants, the longest name first, case-insensitively', () => {
    const people = [
      { id: A, name: 'Anne' },
      { id: B, name: 'Anne Marie' },
    ];
    expect(findMentions('merci @anne marie !', people).sort()).toEqual([A, B].sort());
    expect(findMentions('merci @Anne', people)).toEqual([A]);
    expect(findMentions('anne sans arobase', people)).toEqual([]);
  });
});

describe('old logged events', () => {
  it('still read after a field was added (settings logged before the welcome message existed)', () => {
    const old = {
      type: 'settings.changed',
      settings: { guestPolicy: 'always-accept', maxParticipants: null, maxDurationMinutes: null, joinMuted: false },
      endsAt: null,
    };
    expect(readEvent({ type: old.type, version: 1, payload: old })).toMatchObject({
      settings: { welcomeMessage: null },
    });
  });
});

describe('addressed events', () => {
  it('go to everyone without an audience, else to the named participants or roles', () => {
    expect(isAudience(null, { id: A, role: 'viewer' })).toBe(true);
    expect(isAudience({ roles: ['moderator'] }, { id: A, role: 'viewer' })).toBe(false);
    expect(isAudience({ roles: ['moderator'] }, { id: A, role: 'moderator' })).toBe(true);
    expect(isAudience({ participants: [A] }, { id: A, role: 'viewer' })).toBe(true);
    expect(isAudience({ participants: [B] }, { id: A, role: 'viewer' })).toBe(false);
  });
});

describe('display names', () => {
  it('are trimmed', () => expect(DisplayName.parse('  Élodie Martin  ')).toBe('Élodie Martin'));
  it.each([
    ['empty', '   '],
    ['control characters', 'Bob\u0007'],
    ['a newline', 'Bob\nAlice'],
    ['a bidi override', 'Bob\u202eecilA'],
    ['too long', 'x'.repeat(65)],
  ])('refuse %s', (_why, name) => expect(DisplayName.safeParse(name).success).toBe(false));
  it('accept 64 characters and non-Latin scripts', () => {
    expect(DisplayName.parse('x'.repeat(64))).toHaveLength(64);
    expect(DisplayName.parse('Юлия 李')).toBe('Юлия 李');
  });
  it('room names follow the same rule', () => expect(RoomName.safeParse('\u0000').success).toBe(false));
});

describe('text that cannot be stored', () => {
  it('finds a NUL or a lone surrogate anywhere in a payload, keys included', () => {
    expect(hasUnstorableText({ type: 'chat.send', text: 'a\u0000b' })).toBe(true);
    expect(hasUnstorableText({ text: 'broken \ud83d' })).toBe(true);
    expect(hasUnstorableText({ text: 'broken \ude00 low half' })).toBe(true);
    expect(hasUnstorableText({ list: [{ deep: ['\u0000'] }] })).toBe(true);
    expect(hasUnstorableText({ ['k\u0000']: 1 })).toBe(true);
  });

  it('lets every well-formed text through, emoji and accents included', () => {
    expect(hasUnstorableText({ text: 'Élodie 😀 \u00e9\u0301 — 北京', n: 3, b: null })).toBe(false);
    expect(hasUnstorableText('tab\tand newline\n')).toBe(false);
  });
});

describe('device hashes', () => {
  const joined: MeetingEvent = {
    type: 'participant.joined',
    participantId: B,
    name: 'Bob',
    role: 'viewer',
    audioMode: 'microphone',
    device: 'd'.repeat(64),
  };

  it('never reach a client: not in events, not in any snapshot, moderators included', () => {
    const s = fold(
      { type: 'participant.joined', participantId: A, name: 'Alice', role: 'moderator', audioMode: 'microphone' },
      joined,
      { type: 'guest.waiting', guestId: C, name: 'Eve', audioMode: 'microphone', device: 'e'.repeat(64) },
      { type: 'participant.banned', participantId: B, device: 'd'.repeat(64) },
    );
    expect(s.participants[B].device).toBe('d'.repeat(64));
    for (const who of [
      { id: A, role: 'moderator' as const },
      { id: B, role: 'viewer' as const },
    ]) {
      const view = JSON.parse(JSON.stringify(viewFor(s, who)));
      expect(JSON.stringify(view)).not.toMatch(/ddd|eee/);
      expect(view.banned.participants).toEqual([B]);
    }
    expect(JSON.stringify(eventForClients(joined))).not.toContain('ddd');
    expect(eventForClients({ type: 'participant.banned', participantId: B, device: 'd'.repeat(64) })).toEqual({
      type: 'participant.banned',
      participantId: B,
      device: null,
    });
  });

  it('are kept when a participant comes back after a lapse (the return carries none)', () => {
    const s = fold(
      joined,
      { type: 'participant.left', participantId: B, reason: 'disconnected' },
      { ...joined, device: undefined },
    );
    expect(s.participants[B].device).toBe('d'.repeat(64));
  });
});
