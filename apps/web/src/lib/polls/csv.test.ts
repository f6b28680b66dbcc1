import { describe, expect, it } from 'vitest';
import { csvField, pollsCsv } from './csv';
import { ALICE, BOB, POLL, answered, pollAfter, started } from './fixtures';

const SECOND = '00000000-0000-4000-8000-0000000000e2';
const options = (state: ReturnType<typeof pollAfter>, lang: 'en' | 'fr' = 'en') => ({
  lang,
  participants: state.participants,
  time: (iso: string) => iso.slice(0, 16),
});
/** The CSV back as rows of cells (quotes removed): enough for these plain values. */
const rows = (csv: string) => csv.split('\r\n').map((line) => (line ? line.slice(1, -1).split('","') : []));

describe('polls as CSV', () => {
  it('quotes every field, doubles quotes, and keeps commas and line breaks inside a field', () => {
    expect(csvField('Jupiter')).toBe('"Jupiter"');
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(42)).toBe('"42"');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    for (const s of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvField(s)).toBe(`"'${s}"`);
    expect(csvField('a=b')).toBe('"a=b"');
  });

  it('has a row per option with its count and percentage, then who answered what for a named poll', () => {
    const state = pollAfter(started(), answered(ALICE, [1]), answered(BOB, [1]), {
      type: 'poll.stopped',
      pollId: POLL,
    });
    const csv = pollsCsv(state.polls, state.polls, options(state));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows(csv)).toEqual([
      ['Poll', 'Question', 'Kind', 'Anonymous', 'Status', 'Started at', 'Option or answer', 'Count', 'Percent'],
      [
        '1',
        'Which planet is largest?',
        'Custom answers',
        'no',
        'Stopped',
        state.polls[0].startedAt.slice(0, 16),
        'Mars',
        '0',
        '0',
      ],
      [
        '1',
        'Which planet is largest?',
        'Custom answers',
        'no',
        'Stopped',
        state.polls[0].startedAt.slice(0, 16),
        'Jupiter',
        '2',
        '100',
      ],
      [
        '1',
        'Which planet is largest?',
        'Custom answers',
        'no',
        'Stopped',
        state.polls[0].startedAt.slice(0, 16),
        'Vénus',
        '0',
        '0',
      ],
      [],
      ['Poll', 'Question', 'Participant', 'Option or answer'],
      ['1', 'Which planet is largest?', 'Alice', 'Jupiter'],
      ['1', 'Which planet is largest?', 'Bob', 'Jupiter'],
      [],
    ]);
  });

  it('never names anyone for an anonymous poll', () => {
    const state = pollAfter(started({ anonymous: true }), answered(null, [0]), answered(null, [2]));
    const csv = pollsCsv(state.polls, state.polls, options(state));
    expect(csv).not.toMatch(/Alice|Bob|Participant/);
    expect(rows(csv)[1]).toContain('yes');
    expect(rows(csv).filter((r) => r.length)).toHaveLength(4);
  });

  it('writes in French, translates yes/no options, groups typed answers, numbers polls as in the meeting', () => {
    const state = pollAfter(
      started({ kind: 'yes-no', options: ['yes', 'no'], question: null }),
      answered(ALICE, [0]),
      { type: 'poll.cancelled', pollId: POLL },
      started({ pollId: SECOND, kind: 'typed', options: [], question: 'Capitale ?' }),
      answered(ALICE, [], 'Paris', SECOND),
      answered(BOB, [], ' paris !', SECOND),
    );
    const csv = pollsCsv([state.polls[1]], state.polls, options(state, 'fr'));
    const [head, first] = rows(csv);
    expect(head[0]).toBe('Sondage');
    expect(first).toEqual([
      '2',
      'Capitale ?',
      'Réponse libre',
      'non',
      'En cours',
      expect.any(String),
      'Paris',
      '2',
      '100',
    ]);
    expect(csv).toContain('"2","Capitale ?","Bob"," paris !"');
    const all = rows(pollsCsv(state.polls, state.polls, options(state, 'fr')));
    // The cancelled poll keeps no answers: its options with none.
    expect(all.slice(1, 3)).toEqual([
      ['1', '', 'Oui / Non', 'non', 'Annulé', expect.any(String), 'Oui', '0', '0'],
      ['1', '', 'Oui / Non', 'non', 'Annulé', expect.any(String), 'Non', '0', '0'],
    ]);
  });

  it('defuses a typed answer that looks like a formula', () => {
    const state = pollAfter(started({ kind: 'typed', options: [] }), answered(ALICE, [], '=1+1'));
    expect(pollsCsv(state.polls, state.polls, options(state))).toContain('"\'=1+1"');
  });
});
