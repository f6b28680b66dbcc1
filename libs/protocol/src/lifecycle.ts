import { z } from 'zod';
import { RATES } from './rules';
import { defineSlice } from './slice';

// The meeting's own life: its end (it starts with its first join, over HTTP).

export const MeetingEnd = z.object({ type: z.literal('meeting.end'), closeRoom: z.boolean().default(false) }).strict();
export const MeetingEnded = z.object({
  type: z.literal('meeting.ended'),
  roomClosed: z.boolean(),
  reason: z.enum(['moderator', 'duration']).default('moderator'),
});

export const lifecycle = defineSlice({
  commands: [MeetingEnd],
  events: [MeetingEnded],
  permissions: {
    'meeting.end': { who: 'moderator', rate: RATES.rare },
  },
  fold(state, _e, at) {
    const participants = Object.fromEntries(
      Object.entries(state.participants).map(([id, p]) => [
        id,
        p.present ? { ...p, present: false, inMedia: false, leftReason: 'meeting_ended' as const } : p,
      ]),
    );
    return { ...state, endedAt: at, participants, presenterId: null, hands: [] };
  },
});
