import { quickPollOf } from './quick-poll';

describe('quick polls from a page’s text', () => {
  it('finds lettered options on separate lines (French)', () => {
    const text = [
      'Chapitre 3 – La Révolution française',
      'En quelle année a eu lieu la prise de la Bastille ?',
      'A) 1776',
      'B) 1789',
      'C) 1815',
      'D) 1848',
    ].join('\n');
    expect(quickPollOf(text)).toEqual({
      kind: 'letters',
      options: ['A', 'B', 'C', 'D'],
      question: 'En quelle année a eu lieu la prise de la Bastille ?',
    });
  });

  it('finds options that pdf.js joined into one line, with lower-case letters and dots', () => {
    const text = 'Which gas do plants absorb? a. Oxygen b. Carbon dioxide c. Nitrogen';
    expect(quickPollOf(text)).toEqual({
      kind: 'letters',
      options: ['A', 'B', 'C'],
      question: 'Which gas do plants absorb?',
    });
  });

  it('takes numbered options as custom answers, with their text', () => {
    const text = 'Quel est le résultat de 7 × 8 ?\n1) 54\n2) 56\n3) 64';
    expect(quickPollOf(text)).toEqual({
      kind: 'custom',
      options: ['54', '56', '64'],
      question: 'Quel est le résultat de 7 × 8 ?',
    });
  });

  it('finds yes/no and true/false questions in both languages', () => {
    expect(quickPollOf('Avez-vous terminé l’exercice 4 ? (oui ou non)')).toEqual({
      kind: 'yes-no',
      question: 'Avez-vous terminé l’exercice 4 ?',
    });
    expect(quickPollOf('The Earth is flat?\nTrue or false')).toEqual({
      kind: 'true-false',
      question: 'The Earth is flat?',
    });
    expect(quickPollOf('Vrai ou faux : la Lune est une planète ?')).toMatchObject({ kind: 'true-false' });
    expect(quickPollOf('Did you read chapter 2? Yes / No')).toMatchObject({ kind: 'yes-no' });
  });

  it('suggests nothing for a page without a question, or with one lonely marker', () => {
    expect(quickPollOf('')).toBeNull();
    expect(quickPollOf('Plan du cours\nIntroduction\nA) Le contexte historique\nConclusion')).toBeNull();
    expect(quickPollOf('Les fractions : un rappel. Exemple 1. une demi')).toBeNull();
  });

  it('keeps the letters in order and stops at a gap', () => {
    const text = 'Choisissez :\nA) rouge\nB) vert\nD) bleu';
    expect(quickPollOf(text)).toEqual({ kind: 'letters', options: ['A', 'B'], question: 'Choisissez :' });
  });
});
