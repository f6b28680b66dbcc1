import { POLL_LIMITS, PollStart, typedKey, type PollKind, type QuickPoll } from '@estrade/protocol';

/** What the presenter is filling in before starting a poll. */
export interface PollDraft {
  kind: PollKind;
  /** Letters polls: A–B (2) up to A–F (6). */
  letters: number;
  /** Custom polls: the answers as typed, empty ones included (they are dropped). */
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  question: string;
}

export const KINDS: readonly PollKind[] = PollStart.shape.kind.options;

export const newDraft = (): PollDraft => ({
  kind: 'yes-no',
  letters: 4,
  options: ['', '', ''],
  multiple: false,
  anonymous: false,
  question: '',
});

/** Only letters and custom polls may take several answers (the schema refuses it elsewhere). */
export const takesSeveral = (kind: PollKind) => kind === 'letters' || kind === 'custom';

/** Why a draft cannot start yet; each has a text in messages.ts (`polls.problem.<problem>`). */
export type DraftProblem = 'options-few' | 'options-same' | 'option-long' | 'question-long';

/**
 * The poll.start command a draft makes, or what to fix first. The checks the presenter can act on
 * are said in their words here; the protocol's schema has the last word.
 */
export function commandOf(d: PollDraft): { command: PollStart } | { problem: DraftProblem } {
  const question = d.question.trim();
  if (question.length > POLL_LIMITS.questionLength) return { problem: 'question-long' };
  const options = d.options.map((o) => o.trim()).filter(Boolean);
  if (d.kind === 'custom') {
    if (options.length < 2) return { problem: 'options-few' };
    if (options.some((o) => o.length > POLL_LIMITS.optionLength)) return { problem: 'option-long' };
    if (new Set(options.map(typedKey)).size !== options.length) return { problem: 'options-same' };
  }
  const command = PollStart.parse({
    type: 'poll.start',
    kind: d.kind,
    ...(d.kind === 'letters' ? { letters: d.letters } : {}),
    ...(d.kind === 'custom' ? { options: options.slice(0, POLL_LIMITS.options) } : {}),
    multiple: takesSeveral(d.kind) && d.multiple,
    anonymous: d.anonymous,
    ...(question ? { question } : {}),
  });
  return { command };
}

/**
 * The poll.start command of a quick poll (named, one answer), or null when the page's text makes
 * one the server would refuse (two numbered options alike, say): then no quick poll is offered.
 */
export function quickCommand(q: QuickPoll): PollStart | null {
  const parsed = PollStart.safeParse({
    type: 'poll.start',
    kind: q.kind,
    ...(q.kind === 'letters' ? { letters: q.options.length } : {}),
    ...(q.kind === 'custom' ? { options: q.options } : {}),
    multiple: false,
    anonymous: false,
    ...(q.question ? { question: q.question } : {}),
  });
  return parsed.success ? parsed.data : null;
}

/** What the quick poll button says after "Quick poll:": "A–C", "Yes / No", or the options. */
export function quickLabel(command: PollStart, words: { yesNo: string; trueFalse: string }): string {
  if (command.kind === 'letters') return `A–${String.fromCharCode(64 + (command.letters ?? 2))}`;
  if (command.kind === 'yes-no') return words.yesNo;
  if (command.kind === 'true-false') return words.trueFalse;
  return (command.options ?? []).join(' / ');
}
