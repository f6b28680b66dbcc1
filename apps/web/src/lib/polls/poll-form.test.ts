import { quickPollOf } from '@estrade/protocol';
import { describe, expect, it } from 'vitest';
import { commandOf, newDraft, quickCommand, quickLabel } from './poll-form';

const words = { yesNo: 'Yes / No', trueFalse: 'True / False' };

describe('the start form', () => {
  it('makes a yes/no poll by default, with no question when none is typed', () => {
    expect(commandOf(newDraft())).toEqual({
      command: { type: 'poll.start', kind: 'yes-no', multiple: false, anonymous: false },
    });
  });

  it('makes a letters poll of the chosen count, several answers and anonymous as ticked', () => {
    const d = {
      ...newDraft(),
      kind: 'letters' as const,
      letters: 5,
      multiple: true,
      anonymous: true,
      question: ' Q? ',
    };
    expect(commandOf(d)).toEqual({
      command: { type: 'poll.start', kind: 'letters', letters: 5, multiple: true, anonymous: true, question: 'Q?' },
    });
  });

  it('drops empty custom answers, and asks for two that differ', () => {
    const d = { ...newDraft(), kind: 'custom' as const, options: [' Paris ', '', 'Lyon'] };
    expect(commandOf(d)).toMatchObject({ command: { options: ['Paris', 'Lyon'] } });
    expect(commandOf({ ...d, options: ['Paris', '  '] })).toEqual({ problem: 'options-few' });
    expect(commandOf({ ...d, options: ['Éléphant', 'elephant !'] })).toEqual({ problem: 'options-same' });
    expect(commandOf({ ...d, options: ['a'.repeat(101), 'b'] })).toEqual({ problem: 'option-long' });
    expect(commandOf({ ...d, question: 'q'.repeat(301) })).toEqual({ problem: 'question-long' });
  });

  it('takes several answers only where the protocol allows them', () => {
    expect(commandOf({ ...newDraft(), kind: 'true-false', multiple: true })).toMatchObject({
      command: { multiple: false },
    });
    expect(commandOf({ ...newDraft(), kind: 'typed', multiple: true })).toMatchObject({
      command: { kind: 'typed', multiple: false },
    });
  });
});

describe('quick polls', () => {
  it('starts the letters a page offers, with its question', () => {
    const c = quickCommand(quickPollOf('Which planet is largest?\nA) Mars\nB) Jupiter\nC) Venus')!)!;
    expect(c).toEqual({
      type: 'poll.start',
      kind: 'letters',
      letters: 3,
      multiple: false,
      anonymous: false,
      question: 'Which planet is largest?',
    });
    expect(quickLabel(c, words)).toBe('A–C');
  });

  it('starts numbered options as a custom poll, and yes/no or true/false as such', () => {
    const custom = quickCommand(quickPollOf('Best season?\n1) Spring\n2) Summer\n3) Winter')!)!;
    expect(custom).toMatchObject({ kind: 'custom', options: ['Spring', 'Summer', 'Winter'] });
    expect(quickLabel(custom, words)).toBe('Spring / Summer / Winter');
    const yesNo = quickCommand(quickPollOf('Is the Earth flat? Yes or no')!)!;
    expect(yesNo).toMatchObject({ kind: 'yes-no', question: 'Is the Earth flat?' });
    expect(quickLabel(yesNo, words)).toBe('Yes / No');
    expect(quickLabel(quickCommand(quickPollOf('Vrai ou faux : 2 + 2 = 4 ?')!)!, words)).toBe('True / False');
  });

  it('offers nothing when the page’s options would be refused (two alike)', () => {
    expect(quickCommand({ kind: 'custom', options: ['Oui', 'oui'], question: null })).toBeNull();
  });
});
