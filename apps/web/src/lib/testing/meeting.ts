import { emptyMeeting, foldMeeting, type MeetingEvent, type MeetingState } from '@estrade/protocol';

export const MEETING = '00000000-0000-4000-8000-000000000001';
export const TEACHER = '00000000-0000-4000-8000-00000000000a';
export const ALICE = '00000000-0000-4000-8000-00000000000b';
export const BOB = '00000000-0000-4000-8000-00000000000c';

export const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString();

/** A meeting state as the server's fold makes it from these events. */
export function meeting(...events: MeetingEvent[]): MeetingState {
  return events.reduce((s, event, i) => foldMeeting(s, { at: at(i), event }), emptyMeeting(MEETING, 'Maths', at(0)));
}

/** A class: a teacher (moderator) and two students, all in the meeting. */
export const CLASS: MeetingEvent[] = [
  { type: 'participant.joined', participantId: TEACHER, name: 'Mme Curie', role: 'moderator', audioMode: 'microphone' },
  { type: 'participant.joined', participantId: ALICE, name: 'Alice', role: 'viewer', audioMode: 'microphone' },
  { type: 'participant.joined', participantId: BOB, name: 'Bob', role: 'viewer', audioMode: 'listen-only' },
];

let messages = 0;
/** A chat message event with a fresh id. */
export function said(from: string, text: string, to: string | null = null, mentions: string[] = []): MeetingEvent {
  messages++;
  return {
    type: 'chat.sent',
    messageId: `00000000-0000-4000-9000-${String(messages).padStart(12, '0')}`,
    from,
    to,
    text,
    replyTo: null,
    mentions,
  };
}
