import { z } from 'zod';
import { ParticipantId } from './common';
import { RATES } from './rules';
import { defineSlice } from './slice';

/** What the classroom puts first: the presentation (cameras in a strip), or the cameras (a grid). */
export const LayoutFocus = z.enum(['presentation', 'video']);
export type LayoutFocus = z.infer<typeof LayoutFocus>;

/** A layout a moderator pushes to everyone: the focus and, if any, the participant pinned first. */
export const PushedLayout = z.object({ focus: LayoutFocus, pinned: ParticipantId.nullable() }).strict();
export type PushedLayout = z.infer<typeof PushedLayout>;

// Commands

export const LayoutPush = z.object({ type: z.literal('layout.push'), layout: PushedLayout }).strict();
/** Everyone chooses their own layout again. */
export const LayoutRelease = z.object({ type: z.literal('layout.release') }).strict();

// Events

export const LayoutPushed = z.object({ type: z.literal('layout.pushed'), layout: PushedLayout });
export const LayoutReleased = z.object({ type: z.literal('layout.released') });

/** The layout's part of the meeting state: null while each participant chooses their own. */
export const LayoutState = z.object({ pushedLayout: PushedLayout.nullable().default(null) });

export const layout = defineSlice({
  commands: [LayoutPush, LayoutRelease],
  events: [LayoutPushed, LayoutReleased],
  permissions: {
    'layout.push': { who: 'moderator', rate: RATES.moderation },
    'layout.release': { who: 'moderator', rate: RATES.moderation },
  },
  fold(state, e) {
    switch (e.type) {
      case 'layout.pushed':
        return { ...state, pushedLayout: e.layout };
      case 'layout.released':
        return { ...state, pushedLayout: null };
    }
  },
});
