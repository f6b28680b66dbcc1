import { z } from 'zod';
import { ParticipantId } from './common';
import type { MeetingState } from './meeting';
import { PresentationId } from './presentations';
import { RATES } from './rules';
import { defineSlice } from './slice';

// Polls: the presenter asks, everyone answers once (and may change their mind until the poll
// ends), the presenter and moderators watch the results live and may publish them: a chart on
// the page and a message in the chat.
//
// Anonymous means anonymous: an anonymous answer is logged with no actor, no participant id and
// no audience naming its voter. Who has answered is kept by the server apart from the log (it
// refuses a second answer), never next to a choice. A voter changes their answer with a secret
// receipt only their browser holds; the log keeps a hash of it (the ballot), and clients only a
// tag of that hash, to follow a change (`ballotTag`).

export const POLL_LIMITS = {
  options: 10,
  optionLength: 100,
  letters: 6,
  typedLength: 200,
  questionLength: 300,
  /** Bars of a published chart: the most given answers, the rest as one "other" bar. */
  publishedRows: 12,
} as const;

export const PollId = z.uuid();
export const PollKind = z.enum(['yes-no', 'yes-no-abstain', 'true-false', 'letters', 'custom', 'typed']);
export type PollKind = z.infer<typeof PollKind>;
export const PollLanguage = z.enum(['fr', 'en']);
export type PollLanguage = z.infer<typeof PollLanguage>;

/** The options of the kinds whose options are fixed: words, shown in each person's language. */
const FIXED: Record<'yes-no' | 'yes-no-abstain' | 'true-false', string[]> = {
  'yes-no': ['yes', 'no'],
  'yes-no-abstain': ['yes', 'no', 'abstain'],
  'true-false': ['true', 'false'],
};
const WORDS: Record<PollLanguage, Record<string, string>> = {
  en: { yes: 'Yes', no: 'No', abstain: 'Abstain', true: 'True', false: 'False', other: 'Other answers' },
  fr: { yes: 'Oui', no: 'Non', abstain: 'Abstention', true: 'Vrai', false: 'Faux', other: 'Autres réponses' },
};

/** The options a poll of this kind offers, as logged (fixed kinds: words to translate with `optionLabel`). */
export function optionsOf(kind: PollKind, letters = 4, custom: string[] = []): string[] {
  if (kind === 'letters') return Array.from({ length: letters }, (_, i) => String.fromCharCode(65 + i));
  if (kind === 'custom') return custom;
  if (kind === 'typed') return [];
  return FIXED[kind];
}

/** An option as a person reads it: yes/no and true/false in their language, others as written. */
export function optionLabel(kind: PollKind, option: string, lang: PollLanguage): string {
  return kind in FIXED ? (WORDS[lang][option] ?? option) : option;
}

const OptionText = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'an empty option').max(POLL_LIMITS.optionLength, 'an option over 100 characters'));
const Question = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().max(POLL_LIMITS.questionLength, 'a question over 300 characters'));
/** A typed answer: trimmed, 1 to 200 characters. */
const TypedText = z
  .string()
  .max(POLL_LIMITS.typedLength * 2, 'an answer over 200 characters')
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'an empty answer').max(POLL_LIMITS.typedLength, 'an answer over 200 characters'));
/** A voter's secret for changing an anonymous answer: random, made by their browser. */
export const PollReceipt = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'a receipt of 22 to 64 letters, digits, - or _');

// Commands

export const PollStart = z
  .object({
    type: z.literal('poll.start'),
    kind: PollKind,
    /** Letters polls: how many (A–B up to A–F). */
    letters: z.number().int().min(2).max(POLL_LIMITS.letters).optional(),
    /** Custom polls: the answers offered. */
    options: z.array(OptionText).min(2).max(POLL_LIMITS.options).optional(),
    multiple: z.boolean(),
    anonymous: z.boolean(),
    question: Question.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.kind === 'letters') !== (c.letters !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['letters'],
        message: 'a letters poll says how many letters (2 to 6), others none',
      });
    }
    if ((c.kind === 'custom') !== (c.options !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a custom poll has 2 to 10 options, others none' });
    }
    if (c.options && new Set(c.options.map(typedKey)).size !== c.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'two options are the same' });
    }
    if (c.multiple && !['letters', 'custom'].includes(c.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['multiple'],
        message: 'only letters and custom polls take several answers',
      });
    }
  });
export type PollStart = z.infer<typeof PollStart>;

const AnswerBody = {
  pollId: PollId,
  choices: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(POLL_LIMITS.options - 1),
    )
    .min(1)
    .max(POLL_LIMITS.options)
    .optional(),
  text: TypedText.optional(),
  receipt: PollReceipt.optional(),
};
const oneAnswer = (c: { choices?: number[]; text?: string }, ctx: z.RefinementCtx) => {
  if ((c.choices === undefined) === (c.text === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['choices'], message: 'an answer is either choices or a typed text' });
  }
  if (c.choices && new Set(c.choices).size !== c.choices.length) {
    ctx.addIssue({ code: 'custom', path: ['choices'], message: 'an option chosen twice' });
  }
};
/**
 * An answer: the chosen options (indices), or a typed text. Once per person: a second one is a
 * double vote, refused. For an anonymous poll, `receipt` (kept by the voter's browser) lets its
 * voter change it later.
 */
export const PollAnswer = z
  .object({ type: z.literal('poll.answer'), ...AnswerBody })
  .strict()
  .superRefine(oneAnswer);
/** Changes one's answer while the poll runs; an anonymous one is found by the receipt it was given with. */
export const PollChangeAnswer = z
  .object({ type: z.literal('poll.change-answer'), ...AnswerBody })
  .strict()
  .superRefine(oneAnswer);
export const PollStop = z.object({ type: z.literal('poll.stop'), pollId: PollId }).strict();
export const PollCancel = z.object({ type: z.literal('poll.cancel'), pollId: PollId }).strict();
/** Publishes a stopped or running poll (stopping it): a chart on the poll's page and a chat message, in `lang`. */
export const PollPublish = z
  .object({
    type: z.literal('poll.publish'),
    pollId: PollId,
    lang: PollLanguage,
    /** The page's size in points as the presenter's screen knows it, to place the chart. */
    pageSize: z
      .object({ width: z.number().min(1).max(20_000), height: z.number().min(1).max(20_000) })
      .strict()
      .optional(),
  })
  .strict();

// Events

export const PollStarted = z.object({
  type: z.literal('poll.started'),
  pollId: PollId,
  kind: PollKind,
  options: z.array(z.string()),
  multiple: z.boolean(),
  anonymous: z.boolean(),
  question: z.string().nullable(),
  /** The page on screen when it started (where its chart goes), or none. */
  presentationId: PresentationId.nullable(),
  page: z.number().int().positive().nullable(),
});
/**
 * An answer, new or changed. Named: its voter's id. Anonymous: no id, and `ballot` (the hash of
 * the voter's receipt, kept on the server only) to find it again when the voter changes it.
 */
export const PollAnswered = z.object({
  type: z.literal('poll.answered'),
  pollId: PollId,
  participantId: ParticipantId.nullable(),
  ballot: z.string().nullable(),
  choices: z.array(z.number().int().min(0)),
  text: z.string().nullable(),
});
export const PollStopped = z.object({ type: z.literal('poll.stopped'), pollId: PollId });
export const PollCancelled = z.object({ type: z.literal('poll.cancelled'), pollId: PollId });
export const PollResultRow = z.object({ label: z.string(), count: z.number().int().min(0) });
export type PollResultRow = z.infer<typeof PollResultRow>;
/** The results made public, as counted when published (everyone gets them, not the answers). */
export const PollPublished = z.object({
  type: z.literal('poll.published'),
  pollId: PollId,
  rows: z.array(PollResultRow),
  responders: z.number().int().min(0),
});

export const PollAnswerRecord = PollAnswered.omit({ type: true, pollId: true });
export type PollAnswerRecord = z.infer<typeof PollAnswerRecord>;

export const Poll = z.object({
  id: PollId,
  // What it was started with (the page on screen included).
  ...PollStarted.omit({ type: true, pollId: true }).shape,
  startedBy: ParticipantId.nullable(),
  startedAt: z.string(),
  status: z.enum(['running', 'stopped', 'cancelled']),
  endedAt: z.string().nullable(),
  /** What the viewer may see: all of them for its presenter and moderators, else their own. */
  answers: z.array(PollAnswerRecord),
  published: z.object({ at: z.string(), rows: z.array(PollResultRow), responders: z.number().int() }).nullable(),
});
export type Poll = z.infer<typeof Poll>;

export const PollsState = z.object({ polls: z.array(Poll).default(() => []) });

/** The running poll, if any (there is at most one). */
export function runningPoll(state: Pick<MeetingState, 'polls'>): Poll | null {
  return state.polls.find((p) => p.status === 'running') ?? null;
}

/** Whether this participant sees every answer of this poll: who started it, and moderators. */
export function seesAnswers(poll: Pick<Poll, 'startedBy'>, who: { id: string; role: string }): boolean {
  return who.role === 'moderator' || poll.startedBy === who.id;
}

// Tallies.

/**
 * A typed answer as it is grouped: without accents, case, repeated spaces or the punctuation
 * around it ("Éléphant !" and "elephant" are one answer).
 */
export function typedKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:!?¡¿'"«»()-]+|[\s.,;:!?¡¿'"«»()-]+$/g, '');
}

export interface TallyRow {
  /** An option as logged, or a typed answer as most people wrote it. */
  label: string;
  count: number;
  /** Of the people who answered (several answers may be allowed: they can add up beyond 100). */
  percent: number;
}
export interface Tally {
  rows: TallyRow[];
  responders: number;
}

const percentOf = (count: number, responders: number) => (responders ? Math.round((count * 100) / responders) : 0);

/**
 * The results of a poll: one row per option in order, or per typed answer (grouped by
 * `typedKey`, most given first, written as most people wrote it).
 */
export function tallyPoll(poll: Pick<Poll, 'kind' | 'options'>, answers: readonly PollAnswerRecord[]): Tally {
  const responders = answers.length;
  if (poll.kind !== 'typed') {
    const counts = poll.options.map(() => 0);
    for (const a of answers) for (const c of a.choices) if (c < counts.length) counts[c]++;
    return {
      responders,
      rows: poll.options.map((label, i) => ({ label, count: counts[i], percent: percentOf(counts[i], responders) })),
    };
  }
  const groups = new Map<string, { count: number; spellings: Map<string, number>; first: number }>();
  answers.forEach((a, i) => {
    if (a.text === null) return;
    const key = typedKey(a.text) || a.text;
    const g = groups.get(key) ?? { count: 0, spellings: new Map(), first: i };
    g.count++;
    g.spellings.set(a.text, (g.spellings.get(a.text) ?? 0) + 1);
    groups.set(key, g);
  });
  const rows = [...groups.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .map((g) => {
      // The spelling most people used (the first one given on a tie: Map keeps insertion order).
      let label = '';
      let most = 0;
      for (const [s, n] of g.spellings) if (n > most) [label, most] = [s, n];
      return { label, count: g.count, percent: percentOf(g.count, responders) };
    });
  return { responders, rows };
}

/**
 * The rows as published, in one language: options translated, at most `POLL_LIMITS.publishedRows`
 * (the rarest typed answers become one "other answers" row).
 */
export function publishedRows(poll: Pick<Poll, 'kind' | 'options'>, tally: Tally, lang: PollLanguage): PollResultRow[] {
  const rows = tally.rows.map((r) => ({ label: optionLabel(poll.kind, r.label, lang), count: r.count }));
  if (rows.length <= POLL_LIMITS.publishedRows) return rows;
  const kept = rows.slice(0, POLL_LIMITS.publishedRows - 1);
  const rest = rows.slice(POLL_LIMITS.publishedRows - 1).reduce((n, r) => n + r.count, 0);
  return [...kept, { label: WORDS[lang].other, count: rest }];
}

/** The published results as one chat message, in the publisher's language. */
export function resultsMessage(
  question: string | null,
  rows: readonly PollResultRow[],
  responders: number,
  lang: PollLanguage,
) {
  const head = lang === 'fr' ? 'Résultats du sondage' : 'Poll results';
  const answered =
    lang === 'fr'
      ? `${responders} ${responders > 1 ? 'réponses' : 'réponse'}`
      : `${responders} ${responders === 1 ? 'answer' : 'answers'}`;
  const lines = rows.map((r) => `${r.label} : ${r.count} (${percentOf(r.count, responders)} %)`);
  return [`${head}${question ? ` — ${question}` : ''}`, ...lines, answered].join('\n');
}

type PollEvent =
  | z.infer<typeof PollStarted>
  | z.infer<typeof PollAnswered>
  | z.infer<typeof PollStopped>
  | z.infer<typeof PollCancelled>
  | z.infer<typeof PollPublished>;

function updatePoll(state: MeetingState, id: string, f: (p: Poll) => Poll): MeetingState {
  const i = state.polls.findIndex((p) => p.id === id);
  if (i < 0) return state;
  const polls = [...state.polls];
  polls[i] = f(polls[i]);
  return { ...state, polls };
}

/** An answer in the list: in place of the voter's earlier one (same voter, or same ballot), else added. */
function withAnswer(answers: PollAnswerRecord[], a: PollAnswerRecord): PollAnswerRecord[] {
  const i = answers.findIndex((x) =>
    a.participantId !== null ? x.participantId === a.participantId : a.ballot !== null && x.ballot === a.ballot,
  );
  if (i < 0) return [...answers, a];
  const next = [...answers];
  next[i] = a;
  return next;
}

export const polls = defineSlice({
  commands: [PollStart, PollAnswer, PollChangeAnswer, PollStop, PollCancel, PollPublish],
  events: [PollStarted, PollAnswered, PollStopped, PollCancelled, PollPublished],
  permissions: {
    'poll.start': { who: 'presenter', rate: RATES.moderation },
    'poll.answer': { who: 'anyone', rate: RATES.gesture },
    'poll.change-answer': { who: 'anyone', rate: RATES.gesture },
    'poll.stop': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'poll.cancel': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'poll.publish': { who: 'presenter-or-moderator', rate: RATES.moderation },
  },
  fold(state, e: PollEvent, at): MeetingState {
    switch (e.type) {
      case 'poll.started': {
        const started = PollStarted.omit({ type: true, pollId: true }).parse(e);
        const poll: Poll = {
          id: e.pollId,
          ...started,
          startedBy: state.presenterId,
          startedAt: at,
          status: 'running',
          endedAt: null,
          answers: [],
          published: null,
        };
        return { ...state, polls: [...state.polls, poll] };
      }
      case 'poll.answered':
        return updatePoll(state, e.pollId, (p) => ({
          ...p,
          answers: withAnswer(p.answers, {
            participantId: e.participantId,
            ballot: e.ballot,
            choices: e.choices,
            text: e.text,
          }),
        }));
      case 'poll.stopped':
        return updatePoll(state, e.pollId, (p) => ({ ...p, status: 'stopped', endedAt: p.endedAt ?? at }));
      case 'poll.cancelled':
        // A cancelled poll keeps no answers: it did not happen.
        return updatePoll(state, e.pollId, (p) => ({ ...p, status: 'cancelled', endedAt: at, answers: [] }));
      case 'poll.published':
        return updatePoll(state, e.pollId, (p) => ({
          ...p,
          status: p.status === 'running' ? 'stopped' : p.status,
          endedAt: p.endedAt ?? at,
          published: { at, rows: e.rows, responders: e.responders },
        }));
    }
  },
  // Answers go to who started the poll and moderators; a named one to its voter too. An
  // anonymous one names nobody: its voter's browser keeps its own choice.
  audience(e, state) {
    if (e.type !== 'poll.answered') return null;
    const poll = state.polls.find((p) => p.id === e.pollId);
    const staff = poll?.startedBy ? [poll.startedBy] : [];
    return { roles: ['moderator'], participants: e.participantId ? [...staff, e.participantId] : staff };
  },
  view: (view, state, who) => ({
    ...view,
    polls: state.polls.map((p) => ({
      ...p,
      answers: (seesAnswers(p, who) ? p.answers : p.answers.filter((a) => a.participantId === who.id)).map((a) =>
        a.ballot === null ? a : { ...a, ballot: ballotTag(a.ballot) },
      ),
    })),
  }),
  personal: (state, who) =>
    state.polls.some((p) => p.startedBy === who.id || p.answers.some((a) => a.participantId === who.id)),
  forClients: (e) => (e.type === 'poll.answered' && e.ballot !== null ? { ...e, ballot: ballotTag(e.ballot) } : e),
});

/**
 * What clients get of a ballot (a receipt's hash, which stays on the server): a tag of it, the
 * same in snapshots and events, so that a changed anonymous answer replaces the earlier one in the
 * live results of who asked and the moderators instead of adding to them. 12 characters of the
 * hash (72 bits): no collision within a class, and nothing to test a guessed receipt against.
 */
export function ballotTag(ballot: string): string {
  return ballot.slice(0, 12);
}
