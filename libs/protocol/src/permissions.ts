import type { AudioMode, Role } from './common';
import type { Locks } from './controls';
import { COMMAND_PERMISSIONS, type Command, type MeetingState } from './meeting';
import type { Actor, DecisionContext, Who } from './rules';
import { awayInBreakout } from './breakouts';
import { annotationsOf, isDrawer } from './whiteboard';

export { RATES } from './rules';
export type { Actor, DecisionContext, Rate, Rule, Who } from './rules';
export { COMMAND_PERMISSIONS };
const NO_CONTEXT: DecisionContext = {
  roleOf: () => undefined,
  authorOf: () => undefined,
  annotationAuthor: () => undefined,
};

/** A participant of this meeting as the permission table sees them. */
export function actorIn(state: MeetingState, p: { id: string; role: Role }): Actor {
  return {
    id: p.id,
    role: p.role,
    presenter: state.presenterId === p.id,
    drawer: isDrawer(state, p.id),
    away: awayInBreakout(state, p.id),
  };
}

/** What rules may look up in this meeting beyond the command. */
export function contextOf(state: MeetingState): DecisionContext {
  return {
    roleOf: (id) => state.participants[id]?.role,
    authorOf: (id) => state.chat.find((m) => m.id === id)?.from,
    annotationAuthor: (presentationId, page, id) =>
      annotationsOf(state.whiteboard, presentationId, page).find((a) => a.id === id)?.author,
  };
}

export type Decision = 'allowed' | 'forbidden' | 'locked' | 'away';

/** Whether this actor is among `who` (the permission table's and the live channel's rule). */
export function isAmong(who: Who, actor: Actor): boolean {
  switch (who) {
    case 'anyone':
      return true;
    case 'moderator':
      return actor.role === 'moderator';
    case 'presenter':
      return actor.presenter;
    case 'presenter-or-moderator':
      return actor.presenter || actor.role === 'moderator';
    case 'drawer':
      return actor.presenter || actor.drawer === true;
    case 'nobody':
      return false;
  }
}

export function decide(command: Command, actor: Actor, locks: Locks, context: DecisionContext = NO_CONTEXT): Decision {
  const rule = COMMAND_PERMISSIONS[command.type];
  if (!isAmong(rule.who, actor)) return 'forbidden';
  const target =
    'participantId' in command
      ? command.participantId
      : 'messageId' in command
        ? context.authorOf(command.messageId)
        : undefined;
  if (rule.others && !isAmong(rule.others, actor)) {
    const targets = [target, ...(rule.targets?.(command, context) ?? [])];
    if (targets.some((t) => t !== undefined && t !== actor.id)) return 'forbidden';
  }
  if (actor.role !== 'moderator' && actor.away && rule.notWhileAway) return 'away';
  if (actor.role !== 'moderator' && rule.lock) {
    const lock = typeof rule.lock === 'function' ? rule.lock(command, context, actor) : rule.lock;
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
