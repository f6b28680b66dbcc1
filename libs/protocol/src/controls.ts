import { z } from 'zod';
import { ParticipantId } from './common';

/** Lock settings: restrictions a moderator puts on viewers (moderators are never locked). */
export const Locks = z.object({
  camera: z.boolean(),
  microphone: z.boolean(),
  publicChat: z.boolean(),
  privateChat: z.boolean(),
  sharedNotes: z.boolean(),
  participantList: z.boolean(),
  onlyModeratorCameras: z.boolean(),
  otherViewersCursors: z.boolean(),
});
export type Locks = z.infer<typeof Locks>;
export type LockName = keyof Locks;
export const NO_LOCKS: Locks = {
  camera: false,
  microphone: false,
  publicChat: false,
  privateChat: false,
  sharedNotes: false,
  participantList: false,
  onlyModeratorCameras: false,
  otherViewersCursors: false,
};

// Commands

export const PresenterSet = z.object({ type: z.literal('presenter.set'), participantId: ParticipantId }).strict();
export const LocksUpdate = z.object({ type: z.literal('locks.update'), locks: Locks.partial().strict() }).strict();
export const ParticipantMute = z.object({ type: z.literal('participant.mute'), participantId: ParticipantId }).strict();
export const MeetingMuteAll = z
  .object({ type: z.literal('meeting.mute-all'), exceptPresenter: z.boolean().default(false) })
  .strict();
/** Raise one's own hand. */
export const HandRaise = z.object({ type: z.literal('hand.raise') }).strict();
/** Lower a hand: one's own, or (moderators) anyone's. */
export const HandLower = z.object({ type: z.literal('hand.lower'), participantId: ParticipantId.optional() }).strict();
export const HandsLowerAll = z.object({ type: z.literal('hands.lower-all') }).strict();

// Events

export const PresenterChanged = z.object({
  type: z.literal('presenter.changed'),
  participantId: ParticipantId.nullable(),
});
/** The full set after the change, so a reader of the log never has to merge. */
export const LocksChanged = z.object({ type: z.literal('locks.changed'), locks: Locks });
export const ParticipantMuted = z.object({ type: z.literal('participant.muted'), participantId: ParticipantId });
export const MeetingMutedAll = z.object({
  type: z.literal('meeting.muted-all'),
  /** Who was muted, decided when the command ran (everyone present but the moderator, and the presenter if spared). */
  participantIds: z.array(ParticipantId),
  exceptPresenter: z.boolean(),
});
export const HandRaised = z.object({ type: z.literal('hand.raised'), participantId: ParticipantId });
export const HandLowered = z.object({ type: z.literal('hand.lowered'), participantId: ParticipantId });

// Statuses and reactions

export const Reaction = z.enum(['applause', 'thumbs-up', 'thumbs-down', 'confused', 'happy', 'sad']);
export type Reaction = z.infer<typeof Reaction>;
/** How long a reaction shows next to a name. */
export const REACTION_SECONDS = 30;

export const StatusSet = z.object({ type: z.literal('status.set'), status: z.enum(['away']).nullable() }).strict();
export const ReactionSend = z.object({ type: z.literal('reaction.send'), reaction: Reaction }).strict();
export const StatusesClear = z.object({ type: z.literal('statuses.clear') }).strict();

export const ParticipantStatusChanged = z.object({
  type: z.literal('participant.status-changed'),
  participantId: ParticipantId,
  status: z.enum(['away']).nullable(),
});
export const ParticipantReacted = z.object({
  type: z.literal('participant.reacted'),
  participantId: ParticipantId,
  reaction: Reaction,
});
export const StatusesCleared = z.object({ type: z.literal('statuses.cleared') });
