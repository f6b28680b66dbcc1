import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import {
  annotationsOf,
  chartBox,
  CHART_FONT_SIZE,
  currentPresentation,
  Shape,
  WHITEBOARD_LIMITS,
  type PollResultRow,
  optionsOf,
  publishedRows,
  resultsMessage,
  tallyPoll,
  type MeetingState,
  type Participant,
  type Poll,
  type polls,
} from '@estrade/protocol';
import type { Emit, SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';
import { PollVoters } from './poll-voters';

type Answer = { pollId: string; choices?: number[]; text?: string; receipt?: string };

/**
 * Polls. A named answer is logged with its voter; an anonymous one with no actor and no voter,
 * its voter recorded apart (PollVoters) and its receipt only as a hash (the ballot).
 */
@Injectable()
export class PollsCommands implements OnModuleInit {
  constructor(
    private readonly voters: PollVoters,
    private readonly meetings: MeetingsService,
  ) {}

  onModuleInit() {
    // An ended meeting's polls take no more answers: their voters need not stay in memory.
    this.meetings.onEvents((_meetingId, events, state) => {
      if (events.some((e) => e.event.type === 'meeting.ended')) this.voters.forget(state.polls.map((p) => p.id));
    });
  }

  handlers(): SliceHandlers<typeof polls> {
    return {
      'poll.start': ({ state }, cmd) => {
        const running = state.polls.find((p) => p.status === 'running');
        if (running) throw new CommandError('conflict', 'A poll is already running: stop it first');
        const shown = currentPresentation(state.slides);
        return {
          events: [
            {
              type: 'poll.started',
              pollId: randomUUID(),
              kind: cmd.kind,
              options: optionsOf(cmd.kind, cmd.letters, cmd.options),
              multiple: cmd.multiple,
              anonymous: cmd.anonymous,
              question: cmd.question || null,
              presentationId: shown?.id ?? null,
              page: shown?.page ?? null,
            },
          ],
        };
      },

      'poll.answer': async ({ meetingId, state, actor }, cmd) => {
        const poll = answerable(state, actor, cmd);
        if (!poll.anonymous) {
          if (poll.answers.some((a) => a.participantId === actor.id)) {
            throw new CommandError('conflict', 'You have already answered this poll: change your answer instead');
          }
          return { events: [named(poll, actor, cmd)] };
        }
        const ballot = cmd.receipt ? ballotOf(poll.id, cmd.receipt) : null;
        if ((await this.voters.has(poll.id, actor.id)) || (ballot && poll.answers.some((a) => a.ballot === ballot))) {
          throw new CommandError('conflict', 'You have already answered this poll: change your answer instead');
        }
        // Stored apart from the log, before the answer is logged (without holding up other answers).
        const before = this.voters.add(meetingId, poll.id, actor.id);
        return { events: [anonymous(poll, ballot, cmd)], before };
      },

      'poll.change-answer': async ({ state, actor }, cmd) => {
        const poll = answerable(state, actor, cmd);
        if (!poll.anonymous) {
          if (!poll.answers.some((a) => a.participantId === actor.id)) {
            throw new CommandError('not_found', 'You have not answered this poll yet');
          }
          return { events: [named(poll, actor, cmd)] };
        }
        if (!cmd.receipt) {
          throw new CommandError('malformed', 'An anonymous answer is changed with the receipt it was given with');
        }
        const ballot = ballotOf(poll.id, cmd.receipt);
        if (!(await this.voters.has(poll.id, actor.id)) || !poll.answers.some((a) => a.ballot === ballot)) {
          throw new CommandError('not_found', 'No answer of yours with this receipt');
        }
        return { events: [anonymous(poll, ballot, cmd)] };
      },

      'poll.stop': ({ state }, cmd) => {
        running(state, cmd.pollId);
        return { events: [{ type: 'poll.stopped', pollId: cmd.pollId }] };
      },

      'poll.cancel': ({ state }, cmd) => {
        running(state, cmd.pollId);
        return { events: [{ type: 'poll.cancelled', pollId: cmd.pollId }] };
      },

      'poll.publish': ({ state, actor }, cmd) => {
        const poll = pollOf(state, cmd.pollId);
        if (poll.status === 'cancelled') throw new CommandError('conflict', 'This poll was cancelled');
        if (poll.published) throw new CommandError('conflict', 'These results are already published');
        const tally = tallyPoll(poll, poll.answers);
        const rows = publishedRows(poll, tally, cmd.lang);
        const events: Emit[] = [
          { type: 'poll.published', pollId: poll.id, rows, responders: tally.responders },
          {
            type: 'chat.sent',
            messageId: randomUUID(),
            from: actor.id,
            to: null,
            text: resultsMessage(poll.question, rows, tally.responders, cmd.lang),
            replyTo: null,
            mentions: [],
          },
        ];
        const chart = chartOn(state, actor, poll, rows, tally.responders, cmd.pageSize);
        if (chart) events.push(chart);
        return { events };
      },
    };
  }
}

/** A page of this size (points) when the presenter's screen did not say: A4, landscape, as most slides. */
const USUAL_PAGE = { width: 842, height: 595 };

/**
 * The results as a chart on the page on screen: a whiteboard annotation of the publisher's, which
 * the presenter moves or erases like any other. None without a page, or on a page already full.
 */
function chartOn(
  state: MeetingState,
  actor: Participant,
  poll: Poll,
  rows: PollResultRow[],
  responders: number,
  pageSize = USUAL_PAGE,
): Emit | null {
  const shown = currentPresentation(state.slides);
  if (!shown) return null;
  if (annotationsOf(state.whiteboard, shown.id, shown.page).length >= WHITEBOARD_LIMITS.shapesPerPage) return null;
  const chart = { title: poll.question ?? '', bars: rows, responders };
  const shape = Shape.parse({
    id: `poll_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    kind: 'chart',
    points: chartBox(chart.bars, chart.title, pageSize.width, pageSize.height),
    colour: '#1971c2',
    size: CHART_FONT_SIZE,
    fill: false,
    chart,
  });
  return {
    type: 'annotations.added',
    presentationId: shown.id,
    page: shown.page,
    annotations: [{ ...shape, author: actor.id }],
  };
}

function pollOf(state: MeetingState, pollId: string): Poll {
  const poll = state.polls.find((p) => p.id === pollId);
  if (!poll) throw new CommandError('not_found', 'No such poll');
  return poll;
}

function running(state: MeetingState, pollId: string): Poll {
  const poll = pollOf(state, pollId);
  if (poll.status !== 'running') throw new CommandError('conflict', 'This poll is not running');
  return poll;
}

/** The running poll this answer is for, if the answer fits it. */
function answerable(state: MeetingState, actor: Participant, cmd: Answer): Poll {
  const poll = pollOf(state, cmd.pollId);
  if (poll.status !== 'running') throw new CommandError('conflict', 'This poll has ended: answers are closed');
  if (poll.startedBy === actor.id) throw new CommandError('forbidden', 'Who asks the poll does not answer it');
  if (poll.kind === 'typed') {
    if (cmd.text === undefined) throw new CommandError('malformed', 'This poll takes a typed answer');
  } else {
    if (!cmd.choices) throw new CommandError('malformed', 'This poll takes one of its options');
    if (cmd.choices.some((c) => c >= poll.options.length)) throw new CommandError('malformed', 'No such option');
    if (!poll.multiple && cmd.choices.length > 1) throw new CommandError('malformed', 'This poll takes one answer');
  }
  return poll;
}

const named = (poll: Poll, actor: Participant, cmd: Answer): Emit => ({
  type: 'poll.answered',
  pollId: poll.id,
  participantId: actor.id,
  ballot: null,
  choices: [...(cmd.choices ?? [])].sort((a, b) => a - b),
  text: cmd.text ?? null,
});

/** Logged with nobody: no actor, no voter, an audience that does not name them. */
const anonymous = (poll: Poll, ballot: string | null, cmd: Answer): Emit => ({
  event: {
    type: 'poll.answered',
    pollId: poll.id,
    participantId: null,
    ballot,
    choices: [...(cmd.choices ?? [])].sort((a, b) => a - b),
    text: cmd.text ?? null,
  },
  actor: null,
});

/** What the log keeps of a receipt: its hash with the poll's id, useless to anyone without the receipt. */
function ballotOf(pollId: string, receipt: string): string {
  return createHash('sha256').update(`${pollId}\n${receipt}`).digest('base64url');
}
