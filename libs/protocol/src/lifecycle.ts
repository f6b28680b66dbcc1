import { z } from 'zod';
import { RATES } from './rules';
import { defineSlice } from './slice';

// The meeting's own life: its end (it starts with its first join, over HTTP).

export const MeetingEnd = z.object({ type: z.literal('meeting.end'), closeRoom: z.boolean().default(false) }).strict();
export const MeetingEnded = z.object({
  type: z.literal('meeting.ended'),
  roomClosed: z.boolean(),
  /** Version 2: always present (version 1 had it only once meetings could end by their duration). */
  /** `breakouts`: a breakout room closed with the others (its people are back in the main room). */
  reason: z.enum(['moderator', 'duration', 'breakouts']),
});

export const lifecycle = defineSlice({
  commands: [MeetingEnd],
  events: [MeetingEnded],
  permissions: {
    'meeting.end': { who: 'moderator', rate: RATES.rare },
  },
  upgrades: {
    'meeting.ended': [(v1) => ({ reason: 'moderator', ...v1 })],
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
