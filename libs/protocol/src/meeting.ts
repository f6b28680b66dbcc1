import { z } from 'zod';
import { Audience, MeetingId, ParticipantId } from './common';
import {
  AudioSetMode,
  Participant,
  ParticipantAudioModeChanged,
  ParticipantJoined,
  ParticipantLeave,
  ParticipantLeft,
  ParticipantMediaChanged,
  ParticipantRoleChanged,
  ParticipantSetRole,
  ParticipantRemove,
  ParticipantBanned,
} from './participants';
import {
  HandLower,
  HandLowered,
  HandRaise,
  HandRaised,
  HandsLowerAll,
  Locks,
  LocksChanged,
  LocksUpdate,
  MeetingMuteAll,
  MeetingMutedAll,
  NO_LOCKS,
  ParticipantMute,
  ParticipantMuted,
  PresenterChanged,
  PresenterSet,
  ParticipantReacted,
  ParticipantStatusChanged,
  ReactionSend,
  StatusesClear,
  StatusesCleared,
  StatusSet,
} from './controls';

export const MeetingEnd = z.object({ type: z.literal('meeting.end'), closeRoom: z.boolean().default(false) }).strict();
export const MeetingEnded = z.object({ type: z.literal('meeting.ended'), roomClosed: z.boolean() });

/** Every command a client may send, discriminated on `type`. */
export const Command = z.discriminatedUnion('type', [
  AudioSetMode,
  ParticipantSetRole,
  ParticipantLeave,
  MeetingEnd,
  PresenterSet,
  LocksUpdate,
  ParticipantMute,
  MeetingMuteAll,
  HandRaise,
  HandLower,
  HandsLowerAll,
  ParticipantRemove,
  StatusSet,
  ReactionSend,
  StatusesClear,
]);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
export const COMMAND_TYPES = Command.options.map((o) => o.shape.type.value) as CommandType[];

/** Every event of the meeting log, discriminated on `type`. */
export const MeetingEvent = z.discriminatedUnion('type', [
  ParticipantJoined,
  ParticipantLeft,
  ParticipantAudioModeChanged,
  ParticipantRoleChanged,
  ParticipantMediaChanged,
  MeetingEnded,
  PresenterChanged,
  LocksChanged,
  ParticipantMuted,
  MeetingMutedAll,
  HandRaised,
  HandLowered,
  ParticipantBanned,
  ParticipantStatusChanged,
  ParticipantReacted,
  StatusesCleared,
]);
export type MeetingEvent = z.infer<typeof MeetingEvent>;

/** An event as logged and delivered: its place in the log, when, and who caused it. */
export const LoggedEvent = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: ParticipantId.nullable(),
  audience: Audience.nullable().optional(),
  event: MeetingEvent,
});
export type LoggedEvent = z.infer<typeof LoggedEvent>;

export const MeetingState = z.object({
  meetingId: MeetingId,
  roomName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  participants: z.record(z.string(), Participant),
  presenterId: ParticipantId.nullable(),
  locks: Locks,
  /** Raised hands, first raised first. */
  hands: z.array(ParticipantId),
  /** Banned participants and the device hashes they joined from: neither may come back. */
  banned: z.object({ participants: z.array(ParticipantId), devices: z.array(z.string()) }),
});
export type MeetingState = z.infer<typeof MeetingState>;

/** What a (re)connecting client receives first: the folded state as of `seq`. */
export const Snapshot = z.object({
  seq: z.number().int().nonnegative(),
  you: ParticipantId,
  state: MeetingState,
});
export type Snapshot = z.infer<typeof Snapshot>;

export function emptyMeeting(meetingId: string, roomName: string, startedAt: string): MeetingState {
  return {
    meetingId,
    roomName,
    startedAt,
    endedAt: null,
    participants: {},
    presenterId: null,
    locks: NO_LOCKS,
    hands: [],
    banned: { participants: [], devices: [] },
  };
}

/**
 * The fold: (state, event) → state. Pure, shared by the server (authority) and the web app
 * (which applies the same events to its snapshot), so both agree by construction.
 */
export function foldMeeting(state: MeetingState, logged: Pick<LoggedEvent, 'at' | 'event'>): MeetingState {
  const e = logged.event;
  const update = (id: string, patch: Partial<Participant>): MeetingState => {
    const p = state.participants[id];
    if (!p) return state;
    return { ...state, participants: { ...state.participants, [id]: { ...p, ...patch } } };
  };
  switch (e.type) {
    case 'participant.joined': {
      const previous = state.participants[e.participantId];
      return {
        ...state,
        participants: {
          ...state.participants,
          [e.participantId]: {
            id: e.participantId,
            name: e.name,
            role: e.role,
            audioMode: e.audioMode,
            present: true,
            leftReason: null,
            status: previous?.status ?? null,
            reaction: previous?.reaction ?? null,
            inMedia: previous?.inMedia ?? false,
            joinedAt: previous?.joinedAt ?? logged.at,
            ...(e.device ? { device: e.device } : {}),
          },
        },
      };
    }
    case 'participant.left': {
      // Someone who is gone neither presents nor waits with a raised hand.
      const s = update(e.participantId, { present: false, inMedia: false, leftReason: e.reason });
      return {
        ...s,
        presenterId: s.presenterId === e.participantId ? null : s.presenterId,
        hands: s.hands.filter((id) => id !== e.participantId),
      };
    }
    case 'participant.audio-mode-changed':
      return update(e.participantId, { audioMode: e.audioMode });
    case 'participant.role-changed':
      return update(e.participantId, { role: e.role });
    case 'participant.media-changed':
      return update(e.participantId, { inMedia: e.connected });
    case 'meeting.ended': {
      const participants = Object.fromEntries(
        Object.entries(state.participants).map(([id, p]) => [
          id,
          p.present ? { ...p, present: false, inMedia: false, leftReason: 'meeting_ended' as const } : p,
        ]),
      );
      return { ...state, endedAt: logged.at, participants, presenterId: null, hands: [] };
    }
    case 'presenter.changed':
      return { ...state, presenterId: e.participantId };
    case 'locks.changed':
      return { ...state, locks: e.locks };
    case 'hand.raised':
      return state.hands.includes(e.participantId) ? state : { ...state, hands: [...state.hands, e.participantId] };
    case 'participant.status-changed':
      return update(e.participantId, { status: e.status });
    case 'participant.reacted':
      return update(e.participantId, { reaction: { reaction: e.reaction, at: logged.at } });
    case 'statuses.cleared':
      return {
        ...state,
        participants: Object.fromEntries(
          Object.entries(state.participants).map(([id, p]) => [id, { ...p, status: null, reaction: null }]),
        ),
      };
    case 'participant.banned':
      return {
        ...state,
        banned: {
          participants: [...state.banned.participants, e.participantId],
          devices: e.device ? [...state.banned.devices, e.device] : state.banned.devices,
        },
      };
    case 'hand.lowered':
      return { ...state, hands: state.hands.filter((id) => id !== e.participantId) };
    case 'participant.muted':
    case 'meeting.muted-all':
      // Muting acts on LiveKit; the log keeps who did it, the state has nothing to change.
      return state;
  }
}

/** Whether an addressed event is for this participant. */
export function isAudience(
  audience: Audience | null | undefined,
  who: { id: string; role: Participant['role'] },
): boolean {
  if (!audience) return true;
  return Boolean(audience.participants?.includes(who.id) || audience.roles?.includes(who.role));
}
