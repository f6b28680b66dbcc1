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

export interface Rule {
  who: Who;
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
    lock: (c) => (c.type === 'audio.set-mode' && c.mode === 'microphone' ? 'microphone' : null),
  },
  'participant.leave': { who: 'anyone' },
  'participant.remove': { who: 'moderator' },
  'participant.set-role': { who: 'moderator' },
  'meeting.end': { who: 'moderator' },
  'presenter.set': { who: 'moderator' },
  'locks.update': { who: 'moderator' },
  'participant.mute': { who: 'moderator' },
  'meeting.mute-all': { who: 'moderator' },
  'hand.raise': { who: 'anyone' },
  'hand.lower': { who: 'anyone', others: 'moderator' },
  'hands.lower-all': { who: 'moderator' },
  'status.set': { who: 'anyone' },
  'reaction.send': { who: 'anyone' },
  'statuses.clear': { who: 'moderator' },
  'settings.update': { who: 'moderator' },
  'guests.admit': { who: 'moderator' },
  'guests.deny': { who: 'moderator' },
  'guests.admit-all': { who: 'moderator' },
  'guests.message': { who: 'moderator' },
  'chat.send': {
    who: 'anyone',
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
  'chat.edit': { who: 'anyone', others: 'nobody' },
  'chat.delete': { who: 'anyone', others: 'moderator' },
  'chat.react': { who: 'anyone' },
  'chat.clear': { who: 'moderator' },
  'presentation.add': { who: 'presenter-or-moderator' },
  'presentation.show': { who: 'presenter' },
  'presentation.remove': { who: 'presenter-or-moderator' },
  'presentation.set-downloadable': { who: 'presenter-or-moderator' },
  'slide.goto': { who: 'presenter' },
  'slide.viewport': { who: 'presenter' },
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
