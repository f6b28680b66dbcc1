import type { MeetingState, Poll, PollLanguage } from '@estrade/protocol';
import * as texts from './messages';
import { answerText, resultsOf } from './results';

// Polls as CSV, made in the browser from the meeting state: one table of results (a row per
// option or typed answer), then, for named polls only, who answered what. RFC 4180 (every field
// quoted, quotes doubled, CRLF) so spreadsheets read accents, commas and line breaks as written;
// and a cell that starts with = + - @ (or a tab or carriage return) gets an apostrophe first, so a
// spreadsheet never runs a student's answer as a formula (CSV injection, OWASP).

type Cell = string | number;

/** One field: quoted, its quotes doubled, defused if a spreadsheet would read it as a formula. */
export function csvField(value: Cell): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: readonly Cell[]) => cells.map(csvField).join(',');

export interface CsvOptions {
  lang: PollLanguage;
  participants: MeetingState['participants'];
  /** A time as the reader writes it (the browser's locale and time zone). */
  time: (iso: string) => string;
}

/**
 * The polls given (a meeting's, or one), numbered as in the meeting (`all`: every poll of the
 * meeting, for the numbers).
 */
export function pollsCsv(polls: readonly Poll[], all: readonly Poll[], o: CsvOptions): string {
  const w = o.lang === 'fr' ? texts.fr : texts.en;
  const numberOf = (p: Poll) => all.indexOf(p) + 1;
  const statusOf = (p: Poll) => w[`polls.status.${p.published ? 'published' : p.status}`];
  const head = (p: Poll) => [
    numberOf(p),
    p.question ?? '',
    w[`polls.kind.${p.kind}`],
    p.anonymous ? w['polls.csv.yes'] : w['polls.csv.no'],
    statusOf(p),
    o.time(p.startedAt),
  ];
  const lines = [
    csvLine([
      w['polls.csv.number'],
      w['polls.csv.question'],
      w['polls.csv.kind'],
      w['polls.csv.anonymous'],
      w['polls.csv.status'],
      w['polls.csv.startedAt'],
      w['polls.csv.answer'],
      w['polls.csv.count'],
      w['polls.csv.percent'],
    ]),
  ];
  for (const p of polls) {
    const { rows } = resultsOf(p, o.lang);
    if (rows.length === 0) lines.push(csvLine([...head(p), '', 0, 0]));
    for (const r of rows) lines.push(csvLine([...head(p), r.label, r.count, r.percent]));
  }
  // Who answered what: named polls only. An anonymous poll's answers carry nobody, and stay so.
  const named = polls.filter((p) => !p.anonymous && p.answers.some((a) => a.participantId !== null));
  if (named.length) {
    lines.push('');
    lines.push(
      csvLine([w['polls.csv.number'], w['polls.csv.question'], w['polls.csv.participant'], w['polls.csv.answer']]),
    );
    for (const p of named) {
      for (const a of p.answers) {
        if (a.participantId === null) continue;
        const name = o.participants[a.participantId]?.name ?? '';
        lines.push(csvLine([numberOf(p), p.question ?? '', name, answerText(p, a, o.lang)]));
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}
