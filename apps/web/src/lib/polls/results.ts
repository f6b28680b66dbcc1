import {
  optionLabel,
  tallyPoll,
  type MeetingState,
  type Poll,
  type PollAnswerRecord,
  type PollLanguage,
  type TallyRow,
} from '@estrade/protocol';

/** An answer as a person reads it: the options chosen, in their language, or the typed text. */
export function answerText(
  poll: Pick<Poll, 'kind' | 'options'>,
  answer: Pick<PollAnswerRecord, 'choices' | 'text'>,
  lang: PollLanguage,
): string {
  if (answer.text !== null) return answer.text;
  return answer.choices.map((c) => optionLabel(poll.kind, poll.options[c] ?? '?', lang)).join(', ');
}

/** The live results, options in the reader's language (typed answers grouped as `tallyPoll` does). */
export function resultsOf(poll: Poll, lang: PollLanguage): { rows: TallyRow[]; responders: number } {
  const tally = tallyPoll(poll, poll.answers);
  return { ...tally, rows: tally.rows.map((r) => ({ ...r, label: optionLabel(poll.kind, r.label, lang) })) };
}

/**
 * Who has not answered yet, among the participants present other than who asked: by name for a
 * named poll; for an anonymous one only how many (present minus answers, never below 0), since
 * naming the others would name who answered.
 */
export function notAnswered(
  poll: Pick<Poll, 'anonymous' | 'startedBy' | 'answers'>,
  participants: MeetingState['participants'],
): { count: number; names: string[] | null } {
  const expected = Object.values(participants).filter((p) => p.present && p.id !== poll.startedBy);
  if (poll.anonymous) return { count: Math.max(0, expected.length - poll.answers.length), names: null };
  const answered = new Set(poll.answers.map((a) => a.participantId));
  const names = expected
    .filter((p) => !answered.has(p.id))
    .map((p) => p.name)
    .sort((a, b) => a.localeCompare(b));
  return { count: names.length, names };
}

/** Who answered what, by name (named polls only: an anonymous poll gives nothing). */
export function whoAnswered(
  poll: Poll,
  participants: MeetingState['participants'],
  lang: PollLanguage,
): { id: string; name: string; answer: string }[] {
  if (poll.anonymous) return [];
  return poll.answers
    .filter((a): a is PollAnswerRecord & { participantId: string } => a.participantId !== null)
    .map((a) => ({
      id: a.participantId,
      name: participants[a.participantId]?.name ?? '?',
      answer: answerText(poll, a, lang),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The poll a person's results panel is about: the last one they see every answer of. */
export function latestSeen(polls: readonly Poll[], sees: (p: Poll) => boolean): Poll | null {
  for (let i = polls.length - 1; i >= 0; i--) if (sees(polls[i])) return polls[i];
  return null;
}
