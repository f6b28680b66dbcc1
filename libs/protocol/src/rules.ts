import type { Role } from './common';
import type { LockName } from './controls';

export type Who = 'anyone' | 'moderator' | 'presenter' | 'presenter-or-moderator' | 'nobody';

/** What some rules look at beyond the command: roles of others, authors of messages. */
export interface DecisionContext {
  roleOf(participantId: string): Role | undefined;
  authorOf(messageId: string): string | undefined;
}

/**
 * A token bucket: `burst` at once, then one more every `everyMs`. Beyond it the command is
 * refused with `too_fast` before anything is decided, logged or broadcast.
 */
export interface Rate {
  burst: number;
  everyMs: number;
}

/** Rates by kind of gesture; each command and live message names one. */
export const RATES = {
  /** Chat messages, edits, reactions: enough to talk, too little to flood a class. */
  chat: { burst: 5, everyMs: 1000 },
  /** A person's own gestures (hand, status, reaction, audio mode): a few, then one every 2 s. */
  gesture: { burst: 4, everyMs: 2000 },
  /** A teacher's controls: brisk clicking is fine, a script is not. */
  moderation: { burst: 20, everyMs: 250 },
  /** Turning pages: quick key presses add up. */
  paging: { burst: 30, everyMs: 50 },
  /** Pan and zoom: the end of each drag, and the positions relayed while dragging. */
  panning: { burst: 30, everyMs: 50 },
  /** Uploads and removals: a teacher drops a whole folder at once; the conversion queue bounds the work. */
  files: { burst: 50, everyMs: 1000 },
  /** Once-in-a-meeting gestures (leave, end). */
  rare: { burst: 3, everyMs: 5000 },
} as const satisfies Record<string, Rate>;

/** One row of the permission table: who may send a command, how often, and what locks it. */
export interface Rule<C = never> {
  who: Who;
  /** How often one participant may send it. */
  rate: Rate;
  /** Who may aim it at another participant: their `participantId`, or a message they wrote. */
  others?: Who;
  /** The lock that refuses it to viewers, if any (some depend on the payload). */
  lock?: LockName | ((command: C, context: DecisionContext) => LockName | null);
}
