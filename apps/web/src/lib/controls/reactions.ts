import { REACTION_SECONDS, type Participant, type Reaction } from '@estrade/protocol';
import type { IconName } from '../ui/Icon.svelte';

/** Each reaction's icon: SVG, since many systems (and our test machines) have no emoji font. */
export const REACTION_ICON: Record<Reaction, IconName> = {
  applause: 'applause',
  'thumbs-up': 'thumbs-up',
  'thumbs-down': 'thumbs-down',
  confused: 'confused',
  happy: 'happy',
  sad: 'sad',
};

/** Emoji of the reactions, for text (exports); the page shows REACTION_ICON. */
export const REACTION_EMOJI: Record<Reaction, string> = {
  applause: '👏',
  'thumbs-up': '👍',
  'thumbs-down': '👎',
  confused: '😕',
  happy: '😀',
  sad: '😢',
};

/** The reaction to show next to a participant now, or null once it has faded. */
export function visibleReaction(p: Participant, now: number): Reaction | null {
  if (!p.reaction) return null;
  return now - Date.parse(p.reaction.at) < REACTION_SECONDS * 1000 ? p.reaction.reaction : null;
}
