import { describe, expect, it } from 'vitest';
import { answerText, latestSeen, notAnswered, resultsOf, whoAnswered } from './results';
import { ALICE, BOB, TEACHER, answered, pollAfter, started } from './fixtures';

describe('live results', () => {
  it('counts each option, in the reader’s language for yes/no', () => {
    const [poll] = pollAfter(started({ kind: 'yes-no', options: ['yes', 'no'] }), answered(ALICE, [1])).polls;
    expect(resultsOf(poll, 'fr')).toEqual({
      responders: 1,
      rows: [
        { label: 'Oui', count: 0, percent: 0 },
        { label: 'Non', count: 1, percent: 100 },
      ],
    });
    expect(answerText(poll, poll.answers[0], 'en')).toBe('No');
  });

  it('names the present participants who have not answered, not who asked nor who left', () => {
    const [poll] = pollAfter(started()).polls;
    expect(notAnswered(poll, pollAfter(started()).participants)).toEqual({ count: 2, names: ['Alice', 'Bob'] });
    const state = pollAfter(started(), answered(BOB, [0]));
    expect(notAnswered(state.polls[0], state.participants)).toEqual({ count: 1, names: ['Alice'] });
  });

  it('gives only a number for an anonymous poll, never below 0', () => {
    const state = pollAfter(started({ anonymous: true }), answered(null, [0]));
    expect(notAnswered(state.polls[0], state.participants)).toEqual({ count: 1, names: null });
    const more = pollAfter(started({ anonymous: true }), answered(null, [0]), answered(null, [1]), answered(null, [2]));
    expect(notAnswered(more.polls[0], more.participants)).toEqual({ count: 0, names: null });
    expect(whoAnswered(more.polls[0], more.participants, 'en')).toEqual([]);
  });

  it('lists who answered what for a named poll, by name', () => {
    const state = pollAfter(
      started({ kind: 'letters', options: ['A', 'B', 'C'], multiple: true }),
      answered(BOB, [0, 2]),
      answered(ALICE, [1]),
    );
    expect(whoAnswered(state.polls[0], state.participants, 'en')).toEqual([
      { id: ALICE, name: 'Alice', answer: 'B' },
      { id: BOB, name: 'Bob', answer: 'A, C' },
    ]);
  });

  it('follows the last poll this person sees the answers of', () => {
    const state = pollAfter(started());
    const who = state.participants[TEACHER];
    expect(latestSeen(state.polls, (p) => p.startedBy === who.id)?.id).toBe(state.polls[0].id);
    expect(latestSeen(state.polls, () => false)).toBeNull();
  });
});
