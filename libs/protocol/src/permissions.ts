import type { AudioMode, Role } from './common';
import type { LockName, Locks } from './controls';
import type { Command, CommandType } from './meeting';

/** Who is asking: what the permission table looks at. */
export interface Actor {
  id: string;
  role: Role;
  presenter: boolean;
}

export type Who = 'anyone' | 'moderator' | 'presenter' | 'presenter-or-moderator' | 'nobody';

/** What some rules look at beyond the command: roles of others, authors of messages. */
export interface DecisionContext {
  roleOf(participantId: string): Role | undefined;
  authorOf(messageId: string): string | undefined;
}
const NO_CONTEXT: DecisionContext = { roleOf: () => undefined, authorOf: () => undefined };

/**
 * A token bucket: `burst` at once, then one more every `everyMs`. Beyond it the command is
 * refused with `too_fast` before anything is decided, logged or broadcast.
 */
export interface Rate {
  burst: number;
  everyMs: number;
}

/** Rates by kind of gesture; each command and live request names one. */
export const RATES = {
  /** Chat messages, edits, reactions: enough to talk, too little to flood a class. */
  chat: { burst: 5, everyMs: 1000 },
  /** A person's own gestures (hand, status, reaction, audio mode): a few, then one every 2 s. */
  gesture: { burst: 4, everyMs: 2000 },
  /** A teacher's controls: brisk clicking is fine, a script is not. */
  moderation: { burst: 20, everyMs: 250 },
  /** Turning pages: quick key presses add up. */
  paging: { burst: 30, everyMs: 50 },
  /** Pan and zoom while dragging, sent a few times a second. */
  panning: { burst: 30, everyMs: 50 },
  /** Uploads and removals: a teacher drops a whole folder at once; the conversion queue bounds the work. */
  files: { burst: 50, everyMs: 1000 },
  /** Once-in-a-meeting gestures (leave, end). */
  rare: { burst: 3, everyMs: 5000 },
} as const satisfies Record<string, Rate>;

export interface Rule {
  who: Who;
  /** How often one participant may send it. */
  rate: Rate;
  /** Who may aim it at another participant: their `participantId`, or a message they wrote. */
  others?: Who;
  /** The lock that refuses it to viewers, if any (some depend on the payload). */
  lock?: LockName | ((command: Command, context: DecisionContext) => LockName | null);
}

/**
 * The one table of who may send which command. The command bus consults it before any handler
 * runs; handlers never check roles themselves. LiveKit grants follow `publishableSources` below.
 */
export const COMMAND_PERMISSIONS: Readonly<Record<CommandType, Rule>> = {
  'audio.set-mode': {
    who: 'anyone',
    rate: RATES.gesture,
    lock: (c) => (c.type === 'audio.set-mode' && c.mode === 'microphone' ? 'microphone' : null),
  },
  'participant.leave': { who: 'anyone', rate: RATES.rare },
  'participant.remove': { who: 'moderator', rate: RATES.moderation },
  'participant.set-role': { who: 'moderator', rate: RATES.moderation },
  'meeting.end': { who: 'moderator', rate: RATES.rare },
  'presenter.set': { who: 'moderator', rate: RATES.moderation },
  'locks.update': { who: 'moderator', rate: RATES.moderation },
  'participant.mute': { who: 'moderator', rate: RATES.moderation },
  'meeting.mute-all': { who: 'moderator', rate: RATES.moderation },
  'hand.raise': { who: 'anyone', rate: RATES.gesture },
  'hand.lower': { who: 'anyone', others: 'moderator', rate: RATES.gesture },
  'hands.lower-all': { who: 'moderator', rate: RATES.moderation },
  'status.set': { who: 'anyone', rate: RATES.gesture },
  'reaction.send': { who: 'anyone', rate: RATES.gesture },
  'statuses.clear': { who: 'moderator', rate: RATES.moderation },
  'settings.update': { who: 'moderator', rate: RATES.moderation },
  'guests.admit': { who: 'moderator', rate: RATES.moderation },
  'guests.deny': { who: 'moderator', rate: RATES.moderation },
  'guests.admit-all': { who: 'moderator', rate: RATES.moderation },
  'guests.message': { who: 'moderator', rate: RATES.moderation },
  'chat.send': {
    who: 'anyone',
    rate: RATES.chat,
    // As in BigBlueButton, a private message to a moderator stays allowed under the private-chat lock.
    lock: (c, ctx) =>
      c.type !== 'chat.send'
        ? null
        : c.to === null
          ? 'publicChat'
          : ctx.roleOf(c.to) === 'moderator'
            ? null
            : 'privateChat',
  },
  'chat.edit': { who: 'anyone', others: 'nobody', rate: RATES.chat },
  'chat.delete': { who: 'anyone', others: 'moderator', rate: RATES.chat },
  'chat.react': { who: 'anyone', rate: RATES.chat },
  'chat.clear': { who: 'moderator', rate: RATES.moderation },
  'presentation.add': { who: 'presenter-or-moderator', rate: RATES.files },
  'presentation.show': { who: 'presenter', rate: RATES.paging },
  'presentation.remove': { who: 'presenter-or-moderator', rate: RATES.files },
  'presentation.set-downloadable': { who: 'presenter-or-moderator', rate: RATES.moderation },
  'slide.goto': { who: 'presenter', rate: RATES.paging },
  'slide.viewport': { who: 'presenter', rate: RATES.panning },
};

export type Decision = 'allowed' | 'forbidden' | 'locked';

function is(who: Who, actor: Actor): boolean {
  switch (who) {
    case 'anyone':
      return true;
    case 'moderator':
      return actor.role === 'moderator';
    case 'presenter':
      return actor.presenter;
    case 'presenter-or-moderator':
      return actor.presenter || actor.role === 'moderator';
    case 'nobody':
      return false;
  }
}

export function decide(command: Command, actor: Actor, locks: Locks, context: DecisionContext = NO_CONTEXT): Decision {
  const rule = COMMAND_PERMISSIONS[command.type];
  if (!is(rule.who, actor)) return 'forbidden';
  const target =
    'participantId' in command
      ? command.participantId
      : 'messageId' in command
        ? context.authorOf(command.messageId)
        : undefined;
  if (rule.others && target !== undefined && target !== actor.id && !is(rule.others, actor)) return 'forbidden';
  if (actor.role !== 'moderator' && rule.lock) {
    const lock = typeof rule.lock === 'function' ? rule.lock(command, context) : rule.lock;
    if (lock && locks[lock]) return 'locked';
  }
  return 'allowed';
}

/** LiveKit track sources, named as livekit-server-sdk's TrackSource enum names them. */
export type MediaSource = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

/**
 * The kind of media each source carries. LiveKit checks a track's source label against the
 * grant but never its kind, so audio published as "camera" would pass: the server removes any
 * track whose kind is not its source's, and clients play audio only from audio sources.
 */
export const SOURCE_KIND: Readonly<Record<MediaSource, 'audio' | 'video'>> = {
  camera: 'video',
  microphone: 'audio',
  screen_share: 'video',
  screen_share_audio: 'audio',
};

/** Why a published track must go, or null if the rules allow it. */
export function forbiddenTrack(
  track: { kind: 'audio' | 'video' | 'other'; source: MediaSource | 'unknown' },
  allowed: readonly MediaSource[],
): 'unknown_source' | 'kind_mismatch' | 'not_allowed' | null {
  if (track.source === 'unknown') return 'unknown_source';
  if (SOURCE_KIND[track.source] !== track.kind) return 'kind_mismatch';
  if (!allowed.includes(track.source)) return 'not_allowed';
  return null;
}

/**
 * What a participant may publish to LiveKit. The server turns this into the LiveKit grant, so
 * the media server enforces the same rule as the socket commands: a locked or listen-only
 * microphone is refused by LiveKit itself.
 */
export function publishableSources(p: Actor & { audioMode: AudioMode }, locks: Locks): MediaSource[] {
  const viewer = p.role !== 'moderator';
  const sources: MediaSource[] = [];
  if (!(viewer && locks.camera)) sources.push('camera');
  if (p.audioMode === 'microphone' && !(viewer && locks.microphone)) sources.push('microphone');
  if (p.presenter) sources.push('screen_share', 'screen_share_audio');
  return sources;
}
