import type { Role } from './common';
import type { LockName } from './controls';

/** `drawer`: whoever may draw on the whiteboard now (the presenter, or anyone in multi-user mode). */
export type Who = 'anyone' | 'moderator' | 'presenter' | 'presenter-or-moderator' | 'drawer' | 'nobody';

/** Who is asking: what the permission table looks at. */
export interface Actor {
  id: string;
  role: Role;
  presenter: boolean;
  /** May draw on the whiteboard now (see `isDrawer`). */
  drawer?: boolean;
  /** A student whose place is in a breakout room now (see `awayInBreakout`). */
  away?: boolean;
}

/** What some rules look at beyond the command: roles of others, authors of messages. */
export interface DecisionContext {
  roleOf(participantId: string): Role | undefined;
  authorOf(messageId: string): string | undefined;
  /** Who drew an annotation of this page (undefined: no such annotation). */
  annotationAuthor(presentationId: string, page: number, id: string): string | undefined;
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
  /** Finished shapes, moves and erasures: a quick drawer's pace, never a script's. */
  drawing: { burst: 40, everyMs: 100 },
  /** Strokes in progress and cursors: one message per animation frame, with room for bursts. */
  live: { burst: 120, everyMs: 12 },
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
  /** Whom else it aims at, when the command names them indirectly (the authors of shapes). */
  targets?: (command: C, context: DecisionContext) => (string | undefined)[];
  /**
   * Refused to a student while their place is in a breakout room: they are away from the main
   * room (its chat, say) until the rooms close or they come back.
   */
  notWhileAway?: true;
  /** The lock that refuses it to viewers, if any (some depend on the payload or on the sender). */
  lock?: LockName | ((command: C, context: DecisionContext, actor: Actor) => LockName | null);
}
