// Quick polls: from the text of the page on screen (extracted by pdf.js), the poll a teacher most
// likely wants — the question's lettered or numbered options, or yes/no, true/false — so the
// presenter starts it in one click. Pure: the same answer in the browser and on the server.

export type QuickPoll =
  | { kind: 'letters'; options: string[]; question: string | null }
  | { kind: 'custom'; options: string[]; question: string | null }
  | { kind: 'yes-no'; question: string }
  | { kind: 'true-false'; question: string };

/** At most this many options (letters A–F; numbered or custom up to 10). */
const MAX_LETTERS = 6;
const MAX_OPTIONS = 10;
const MAX_OPTION_LENGTH = 100;

// An option marker at the start of a line: "A)", "a.", "B -", "(c)", "1)", "2.", "3 -".
const LETTER = /^\(?([A-Fa-f])\s*[).:-]\s+(\S.*)$/;
const NUMBER = /^\(?([1-9]|10)\s*[).:-]\s+(\S.*)$/;
const YES_NO = /\b(oui\s*(ou|\/)\s*non|yes\s*(or|\/)\s*no)\b/i;
const TRUE_FALSE = /\b(vrai\s*(ou|\/)\s*faux|true\s*(or|\/)\s*false)\b/i;

/** The page's text as lines: pdf.js joins runs with spaces, so markers also split a line. */
function linesOf(text: string): string[] {
  return text
    .replace(/\s+(?=\(?(?:[A-Fa-f]|[1-9]|10)\s*[).]\s)/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** A run of consecutive markers: A, B, C… (or a, b, c…), or 1, 2, 3… */
function optionsRun(lines: string[], pattern: RegExp, index: (marker: string) => number) {
  let best: { start: number; options: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const options: string[] = [];
    for (let j = i; j < lines.length; j++) {
      const m = pattern.exec(lines[j]);
      if (!m || index(m[1]) !== options.length) break;
      options.push(m[2].trim().slice(0, MAX_OPTION_LENGTH));
    }
    if (options.length >= 2 && (!best || options.length > best.options.length)) best = { start: i, options };
  }
  return best;
}

/** The question before the options: the last line ending with "?" (or the line just before). */
function questionBefore(lines: string[], start: number): string | null {
  for (let i = start - 1; i >= 0 && i >= start - 3; i--) if (lines[i].endsWith('?')) return lines[i].slice(0, 300);
  return start > 0 ? lines[start - 1].slice(0, 300) : null;
}

/** The quick poll this page suggests, or null. */
export function quickPollOf(text: string): QuickPoll | null {
  const lines = linesOf(text);
  const letters = optionsRun(lines, LETTER, (m) => m.toUpperCase().charCodeAt(0) - 65);
  const numbers = optionsRun(lines, NUMBER, (m) => Number(m) - 1);
  if (
    letters &&
    letters.options.length <= MAX_LETTERS &&
    (!numbers || letters.options.length >= numbers.options.length)
  ) {
    return {
      kind: 'letters',
      options: letters.options.map((_, i) => String.fromCharCode(65 + i)),
      question: questionBefore(lines, letters.start),
    };
  }
  if (numbers && numbers.options.length <= MAX_OPTIONS) {
    return { kind: 'custom', options: numbers.options, question: questionBefore(lines, numbers.start) };
  }
  // The question itself: the first line holding a "?", up to it.
  const asking = lines.find((l) => l.includes('?'));
  const question = asking ? asking.slice(0, asking.lastIndexOf('?') + 1).slice(0, 300) : null;
  if (question && TRUE_FALSE.test(text)) return { kind: 'true-false', question };
  if (question && YES_NO.test(text)) return { kind: 'yes-no', question };
  return null;
}
