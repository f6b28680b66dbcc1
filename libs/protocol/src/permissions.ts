import type { AudioMode, Role } from './common';
import type { CommandType } from './meeting';

/** Who is asking: what the permission table looks at. */
export interface Actor {
  role: Role;
  presenter: boolean;
}

export type Who = 'anyone' | 'moderator' | 'presenter';

/**
 * The one table of who may send which command. The gateway consults it before any handler runs;
 * handlers never check roles themselves. Lock settings join this table when they arrive.
 */
export const COMMAND_PERMISSIONS: Readonly<Record<CommandType, Who>> = {
  'audio.set-mode': 'anyone',
  'participant.leave': 'anyone',
  'participant.set-role': 'moderator',
  'meeting.end': 'moderator',
};

export function mayRun(type: CommandType, actor: Actor): boolean {
  const who = COMMAND_PERMISSIONS[type];
  switch (who) {
    case 'anyone':
      return true;
    case 'moderator':
      return actor.role === 'moderator';
    case 'presenter':
      return actor.presenter;
  }
}

/** LiveKit track sources, named as livekit-server-sdk's TrackSource enum names them. */
export type MediaSource = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

/**
 * What a participant may publish to LiveKit. The server turns this into the LiveKit grant, so
 * the media server enforces the same rule as the socket commands.
 */
export function publishableSources(p: Actor & { audioMode: AudioMode }): MediaSource[] {
  const sources: MediaSource[] = ['camera'];
  if (p.audioMode === 'microphone') sources.push('microphone');
  if (p.presenter) sources.push('screen_share', 'screen_share_audio');
  return sources;
}
