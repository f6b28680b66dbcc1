import { z } from 'zod';
import { AudioMode, DisplayName, ParticipantId, Role } from './common';
import { Reaction } from './controls';

// Commands

export const AudioSetMode = z.object({ type: z.literal('audio.set-mode'), mode: AudioMode }).strict();
export const ParticipantSetRole = z
  .object({ type: z.literal('participant.set-role'), participantId: ParticipantId, role: Role })
  .strict();
export const ParticipantLeave = z.object({ type: z.literal('participant.leave') }).strict();
export const ParticipantRemove = z
  .object({ type: z.literal('participant.remove'), participantId: ParticipantId, ban: z.boolean().default(false) })
  .strict();

// Events

export const ParticipantJoined = z.object({
  type: z.literal('participant.joined'),
  participantId: ParticipantId,
  name: DisplayName,
  role: Role,
  audioMode: AudioMode,
  /** Hash of the browser's device cookie: what a ban holds on, beyond this one identity. */
  device: z.string().max(128).optional(),
});
export const ParticipantLeft = z.object({
  type: z.literal('participant.left'),
  participantId: ParticipantId,
  reason: z.enum(['left', 'disconnected', 'removed', 'meeting_ended']),
});
export const ParticipantAudioModeChanged = z.object({
  type: z.literal('participant.audio-mode-changed'),
  participantId: ParticipantId,
  audioMode: AudioMode,
});
export const ParticipantRoleChanged = z.object({
  type: z.literal('participant.role-changed'),
  participantId: ParticipantId,
  role: Role,
});
export const ParticipantBanned = z.object({
  type: z.literal('participant.banned'),
  participantId: ParticipantId,
  device: z.string().max(128).nullable(),
});
/** From LiveKit webhooks: whether the participant's media session is up. */
export const ParticipantMediaChanged = z.object({
  type: z.literal('participant.media-changed'),
  participantId: ParticipantId,
  connected: z.boolean(),
});

export const Participant = z.object({
  id: ParticipantId,
  name: z.string(),
  role: Role,
  audioMode: AudioMode,
  /** Has at least one live connection (or is within the reconnect grace). */
  present: z.boolean(),
  inMedia: z.boolean(),
  /** Why they are no longer present; null while present. */
  leftReason: z.enum(['left', 'disconnected', 'removed', 'meeting_ended']).nullable(),
  device: z.string().optional(),
  status: z.enum(['away']).nullable().default(null),
  /** The last reaction and when it was sent; the UI shows it for REACTION_SECONDS. */
  reaction: z.object({ reaction: Reaction, at: z.string() }).nullable().default(null),
  joinedAt: z.string(),
});
export type Participant = z.infer<typeof Participant>;
