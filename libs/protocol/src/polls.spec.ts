import { audienceOf, emptyMeeting, eventForClients, foldMeeting, viewFor, type MeetingEvent } from './meeting';
import {
  optionLabel,
  optionsOf,
  PollAnswer,
  PollStart,
  publishedRows,
  resultsMessage,
  runningPoll,
  tallyPoll,
  typedKey,
  type PollAnswerRecord,
} from './polls';

const TEACHER = '00000000-0000-4000-8000-00000000000c';
const ANA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';
const POLL = '00000000-0000-4000-8000-0000000000e1';
const at = '2026-11-30T10:00:00.000Z';

const named = (participantId: string, choices: number[], text: string | null = null): PollAnswerRecord => ({
  participantId,
  ballot: null,
  choices,
  text,
});
const typed = (text: string): PollAnswerRecord => ({ participantId: null, ballot: null, choices: [], text });

function meeting(...events: MeetingEvent[]) {
  let state = { ...emptyMeeting(crypto.randomUUID(), 'Salle', at), presenterId: TEACHER as string | null };
  for (const event of events) state = foldMeeting(state, { at, event });
  return state;
}
const started = (anonymous: boolean, kind: 'letters' | 'typed' = 'letters'): MeetingEvent => ({
  type: 'poll.started',
  pollId: POLL,
  kind,
  options: kind === 'letters' ? ['A', 'B', 'C'] : [],
  multiple: false,
  anonymous,
  question: 'Quelle est la capitale ?',
  presentationId: null,
  page: null,
});

describe('poll tallies', () => {
  it('counts one answer per person, with percentages of those who answered', () => {
    const t = tallyPoll({ kind: 'letters', options: ['A', 'B', 'C'] }, [
      named(ANA, [0]),
      named(BEN, [0]),
      named(TEACHER, [2]),
    ]);
    expect(t).toEqual({
      responders: 3,
      rows: [
        { label: 'A', count: 2, percent: 67 },
        { label: 'B', count: 0, percent: 0 },
        { label: 'C', count: 1, percent: 33 },
      ],
    });
  });

  it('counts each option of a several-answers poll, percentages of people (they add up beyond 100)', () => {
    const t = tallyPoll({ kind: 'custom', options: ['Rouge', 'Vert'] }, [named(ANA, [0, 1]), named(BEN, [1])]);
    expect(t.rows.map((r) => [r.count, r.percent])).toEqual([
      [1, 50],
      [2, 100],
    ]);
    expect(t.responders).toBe(2);
  });

  it('shows no percentage before anyone answered', () => {
    expect(tallyPoll({ kind: 'yes-no', options: ['yes', 'no'] }, []).rows.map((r) => r.percent)).toEqual([0, 0]);
  });

  it('groups typed answers without case, accents, spaces or surrounding punctuation, most given first', () => {
    const t = tallyPoll({ kind: 'typed', options: [] }, [
      typed('Lyon'),
      typed('Éléphant'),
      typed('elephant !'),
      typed('ÉLÉPHANT'),
      typed('Éléphant'),
      typed('  lyon  '),
      typed('Marseille'),
    ]);
    expect(t.rows).toEqual([
      { label: 'Éléphant', count: 4, percent: 57 },
      { label: 'Lyon', count: 2, percent: 29 },
      { label: 'Marseille', count: 1, percent: 14 },
    ]);
    expect(typedKey('  Ça   va ?  ')).toBe('ca va');
    expect(typedKey('Noël')).toBe(typedKey('NOEL'));
  });

  it('publishes at most 12 rows in one language, the rarest typed answers as one', () => {
    const many = Array.from({ length: 15 }, (_, i) => typed(`mot${i}`)).concat(typed('mot0'));
    const t = tallyPoll({ kind: 'typed', options: [] }, many);
    const rows = publishedRows({ kind: 'typed', options: [] }, t, 'fr');
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({ label: 'mot0', count: 2 });
    expect(rows[11]).toEqual({ label: 'Autres réponses', count: 4 });
    const yes = tallyPoll({ kind: 'yes-no-abstain', options: optionsOf('yes-no-abstain') }, [named(ANA, [2])]);
    expect(publishedRows({ kind: 'yes-no-abstain', options: [] }, yes, 'fr').map((r) => r.label)).toEqual([
      'Oui',
      'Non',
      'Abstention',
    ]);
    expect(optionLabel('true-false', 'true', 'en')).toBe('True');
    expect(optionLabel('custom', 'yes', 'fr')).toBe('yes');
    expect(resultsMessage('Prêts ?', [{ label: 'Oui', count: 1 }], 1, 'fr')).toBe(
      'Résultats du sondage — Prêts ?\nOui : 1 (100 %)\n1 réponse',
    );
  });

  it('offers the options of each kind', () => {
    expect(optionsOf('letters', 6)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(optionsOf('yes-no-abstain')).toEqual(['yes', 'no', 'abstain']);
    expect(optionsOf('true-false')).toEqual(['true', 'false']);
    expect(optionsOf('custom', 4, ['x', 'y'])).toEqual(['x', 'y']);
    expect(optionsOf('typed')).toEqual([]);
  });
});

describe('poll commands', () => {
  const ok = (c: unknown) => PollStart.safeParse(c).success;
  it('takes the kinds with what each needs, and nothing else', () => {
    expect(ok({ type: 'poll.start', kind: 'yes-no', multiple: false, anonymous: true })).toBe(true);
    expect(ok({ type: 'poll.start', kind: 'letters', letters: 6, multiple: true, anonymous: false })).toBe(true);
    expect(ok({ type: 'poll.start', kind: 'letters', letters: 7, multiple: false, anonymous: false })).toBe(false);
    expect(ok({ type: 'poll.start', kind: 'letters', multiple: false, anonymous: false })).toBe(false);
    expect(ok({ type: 'poll.start', kind: 'yes-no', letters: 2, multiple: false, anonymous: false })).toBe(false);
    expect(ok({ type: 'poll.start', kind: 'yes-no', multiple: true, anonymous: false })).toBe(false);
    expect(ok({ type: 'poll.start', kind: 'custom', options: ['a', 'b'], multiple: true, anonymous: false })).toBe(
      true,
    );
    expect(ok({ type: 'poll.start', kind: 'custom', options: ['a'], multiple: false, anonymous: false })).toBe(false);
    expect(ok({ type: 'poll.start', kind: 'custom', options: ['a', ' A '], multiple: false, anonymous: false })).toBe(
      false,
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `o${i}`);
    expect(ok({ type: 'poll.start', kind: 'custom', options: eleven, multiple: false, anonymous: false })).toBe(false);
    expect(
      ok({ type: 'poll.start', kind: 'custom', options: ['a', 'b'.repeat(101)], multiple: false, anonymous: false }),
    ).toBe(false);
    expect(
      ok({ type: 'poll.start', kind: 'typed', multiple: false, anonymous: false, question: 'x'.repeat(301) }),
    ).toBe(false);
    expect(ok({ type: 'poll.start', kind: 'typed', multiple: false, anonymous: false, extra: 1 })).toBe(false);
  });

  it('takes choices or a typed text of 1 to 200 characters', () => {
    const a = (c: object) => PollAnswer.safeParse({ type: 'poll.answer', pollId: POLL, ...c }).success;
    expect(a({ choices: [0, 2] })).toBe(true);
    expect(a({ choices: [0, 0] })).toBe(false);
    expect(a({ choices: [] })).toBe(false);
    expect(a({ choices: [10] })).toBe(false);
    expect(a({ choices: [-1] })).toBe(false);
    expect(a({ text: 'Paris' })).toBe(true);
    expect(a({ text: '   ' })).toBe(false);
    expect(a({ text: 'x'.repeat(201) })).toBe(false);
    expect(a({ choices: [0], text: 'Paris' })).toBe(false);
    expect(a({})).toBe(false);
    expect(a({ choices: [0], receipt: 'short' })).toBe(false);
    expect(a({ choices: [0], receipt: 'r'.repeat(32) })).toBe(true);
  });
});

describe('the polls fold', () => {
  it('keeps one answer per voter, replaced when changed, and forgets them when cancelled', () => {
    const answer = (participantId: string, c: number): MeetingEvent => ({
      type: 'poll.answered',
      pollId: POLL,
      participantId,
      ballot: null,
      choices: [c],
      text: null,
    });
    const s = meeting(started(false), answer(ANA, 0), answer(BEN, 1), answer(ANA, 2));
    expect(runningPoll(s)?.answers).toEqual([named(ANA, [2]), named(BEN, [1])]);
    const stopped = foldMeeting(s, { at, event: { type: 'poll.stopped', pollId: POLL } });
    expect(runningPoll(stopped)).toBeNull();
    expect(stopped.polls[0]).toMatchObject({ status: 'stopped', endedAt: at, startedBy: TEACHER });
    const cancelled = foldMeeting(s, { at, event: { type: 'poll.cancelled', pollId: POLL } });
    expect(cancelled.polls[0]).toMatchObject({ status: 'cancelled', answers: [] });
  });

  it('replaces an anonymous answer by its ballot', () => {
    const anon = (ballot: string, c: number): MeetingEvent => ({
      type: 'poll.answered',
      pollId: POLL,
      participantId: null,
      ballot,
      choices: [c],
      text: null,
    });
    const s = meeting(started(true), anon('b1', 0), anon('b2', 1), anon('b1', 1));
    expect(tallyPoll(s.polls[0], s.polls[0].answers).rows.map((r) => r.count)).toEqual([0, 2, 0]);
  });

  it('publishing stops a running poll and gives everyone the rows', () => {
    const s = meeting(started(false), {
      type: 'poll.published',
      pollId: POLL,
      rows: [{ label: 'A', count: 1 }],
      responders: 1,
    });
    expect(s.polls[0]).toMatchObject({ status: 'stopped', published: { rows: [{ label: 'A', count: 1 }] } });
  });
});

describe('who sees which answers', () => {
  const namedAnswer: MeetingEvent = {
    type: 'poll.answered',
    pollId: POLL,
    participantId: ANA,
    ballot: null,
    choices: [1],
    text: null,
  };
  const anonymous: MeetingEvent = {
    type: 'poll.answered',
    pollId: POLL,
    participantId: null,
    ballot: 'secret-hash-of-the-receipt',
    choices: [1],
    text: null,
  };

  it('sends a named answer to who asked, moderators and its voter; an anonymous one names nobody', () => {
    expect(audienceOf(namedAnswer, meeting(started(false)))).toEqual({
      roles: ['moderator'],
      participants: [TEACHER, ANA],
    });
    expect(audienceOf(anonymous, meeting(started(true)))).toEqual({ roles: ['moderator'], participants: [TEACHER] });
  });

  it('shows students their own answer only, and clients a tag of the ballots, never the ballots', () => {
    const s = meeting(started(false), namedAnswer, { ...namedAnswer, participantId: BEN });
    expect(viewFor(s, { id: BEN, role: 'viewer' }).polls[0].answers).toEqual([named(BEN, [1])]);
    expect(viewFor(s, { id: TEACHER, role: 'viewer' }).polls[0].answers).toHaveLength(2);
    expect(viewFor(s, { id: crypto.randomUUID(), role: 'moderator' }).polls[0].answers).toHaveLength(2);
    const anon = meeting(started(true), anonymous);
    expect(viewFor(anon, { id: TEACHER, role: 'viewer' }).polls[0].answers).toEqual([
      { participantId: null, ballot: 'secret-hash-', choices: [1], text: null },
    ]);
    expect(viewFor(anon, { id: ANA, role: 'viewer' }).polls[0].answers).toEqual([]);
    expect(eventForClients(anonymous)).toEqual({ ...anonymous, ballot: 'secret-hash-' });
  });

  it('keeps the live results of who asked right when an anonymous voter changes their answer', () => {
    // The teacher's browser: a snapshot, then events as clients get them, folded as the server does.
    const first = { ...anonymous, choices: [0] } as MeetingEvent;
    const other = { ...anonymous, ballot: 'another-voter-hash', choices: [2] } as MeetingEvent;
    const server = meeting(started(true), first);
    let browser = viewFor(server, { id: TEACHER, role: 'viewer' });
    for (const event of [other, anonymous]) browser = foldMeeting(browser, { at, event: eventForClients(event) });
    const counts = (s: typeof browser) => tallyPoll(s.polls[0], s.polls[0].answers).rows.map((r) => r.count);
    expect(counts(browser)).toEqual([0, 1, 1]);
    expect(counts(meeting(started(true), first, other, anonymous))).toEqual([0, 1, 1]);
  });
});
