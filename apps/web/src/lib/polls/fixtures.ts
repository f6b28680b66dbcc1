import type { MeetingEvent } from '@estrade/protocol';
import { ALICE, BOB, CLASS, TEACHER, meeting } from '../testing/meeting';

export const POLL = '00000000-0000-4000-8000-0000000000e1';
export const CAROL = '00000000-0000-4000-8000-00000000000d';

/** The teacher presents; Carol joined too, then left. */
export const PRESENTED: MeetingEvent[] = [
  ...CLASS,
  { type: 'participant.joined', participantId: CAROL, name: 'Carol', role: 'viewer', audioMode: 'listen-only' },
  { type: 'participant.left', participantId: CAROL, reason: 'left' },
  { type: 'presenter.changed', participantId: TEACHER },
];

export function started(over: Partial<Extract<MeetingEvent, { type: 'poll.started' }>> = {}): MeetingEvent {
  return {
    type: 'poll.started',
    pollId: POLL,
    kind: 'custom',
    options: ['Mars', 'Jupiter', 'Vénus'],
    multiple: false,
    anonymous: false,
    question: 'Which planet is largest?',
    presentationId: null,
    page: null,
    ...over,
  };
}

export const answered = (
  participantId: string | null,
  choices: number[],
  text: string | null = null,
  pollId = POLL,
): MeetingEvent => ({ type: 'poll.answered', pollId, participantId, ballot: null, choices, text });

/** A poll as the state holds it after these events. */
export function pollAfter(...events: MeetingEvent[]) {
  return meeting(...PRESENTED, ...events);
}

export { ALICE, BOB, TEACHER };
