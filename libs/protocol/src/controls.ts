import { z } from 'zod';
import { ParticipantId, Reaction } from './common';
import { updateParticipant, seesParticipant } from './participants';
import { RATES } from './rules';
import { defineSlice } from './slice';

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
  /** Viewers may not draw, even in multi-user mode. */
  whiteboard: z.boolean(),
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
  whiteboard: false,
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
export const ParticipantMuted = z.object({
  type: z.literal('participant.muted'),
  participantId: ParticipantId,
  /** Version 2: muted by the server as they first turned their microphone on, under "join muted". */
  onJoin: z.boolean(),
});
export const MeetingMutedAll = z.object({
  type: z.literal('meeting.muted-all'),
  /** Who was muted, decided when the command ran (everyone present but the moderator, and the presenter if spared). */
  participantIds: z.array(ParticipantId),
  exceptPresenter: z.boolean(),
});
export const HandRaised = z.object({ type: z.literal('hand.raised'), participantId: ParticipantId });
export const HandLowered = z.object({ type: z.literal('hand.lowered'), participantId: ParticipantId });

// Statuses and reactions

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

/** The teacher's controls' part of the meeting state; the defaults are a new meeting's. */
export const ControlsState = z.object({
  presenterId: ParticipantId.nullable().default(null),
  locks: Locks.default(() => NO_LOCKS),
  /** Raised hands, first raised first. */
  hands: z.array(ParticipantId).default(() => []),
  /** Whom "join muted" has already muted, as they first turned their microphone on (it applies once). */
  mutedOnJoin: z.array(ParticipantId).default(() => []),
});

export const controls = defineSlice({
  commands: [
    PresenterSet,
    LocksUpdate,
    ParticipantMute,
    MeetingMuteAll,
    HandRaise,
    HandLower,
    HandsLowerAll,
    StatusSet,
    ReactionSend,
    StatusesClear,
  ],
  events: [
    PresenterChanged,
    LocksChanged,
    ParticipantMuted,
    MeetingMutedAll,
    HandRaised,
    HandLowered,
    ParticipantStatusChanged,
    ParticipantReacted,
    StatusesCleared,
  ],
  permissions: {
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
  },
  upgrades: {
    // Version 1 had no `onJoin`: a moderator's mute.
    'participant.muted': [(v1) => ({ onJoin: false, ...v1 })],
    // Version 1 had no whiteboard lock.
    'locks.changed': [(v1) => ({ ...v1, locks: { whiteboard: false, ...(v1.locks as object) } })],
  },
  fold(state, e, at) {
    switch (e.type) {
      case 'presenter.changed':
        return { ...state, presenterId: e.participantId };
      case 'locks.changed':
        return { ...state, locks: e.locks };
      case 'hand.raised':
        return state.hands.includes(e.participantId) ? state : { ...state, hands: [...state.hands, e.participantId] };
      case 'hand.lowered':
        return { ...state, hands: state.hands.filter((id) => id !== e.participantId) };
      case 'participant.status-changed':
        return updateParticipant(state, e.participantId, { status: e.status });
      case 'participant.reacted':
        return updateParticipant(state, e.participantId, { reaction: { reaction: e.reaction, at } });
      case 'statuses.cleared':
        return {
          ...state,
          participants: Object.fromEntries(
            Object.entries(state.participants).map(([id, p]) => [id, { ...p, status: null, reaction: null }]),
          ),
        };
      case 'participant.muted':
        // Muting acts on LiveKit; the state only remembers that "join muted" was applied.
        return e.onJoin && !state.mutedOnJoin.includes(e.participantId)
          ? { ...state, mutedOnJoin: [...state.mutedOnJoin, e.participantId] }
          : state;
      case 'meeting.muted-all':
        return state;
    }
  },
  view(view, state, who) {
    return { ...view, hands: state.hands.filter((id) => seesParticipant(state, who, id)) };
  },
  personal: (state, who) => who.role !== 'moderator' && state.locks.participantList,
});
