import { REACTION_SECONDS, type Participant, type Reaction } from '@estrade/protocol';

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
