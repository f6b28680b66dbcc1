import { z } from 'zod';
import { AudioMode, DisplayName, ParticipantId, Reaction, Role } from './common';
import { RATES } from './rules';
import { defineSlice, type Viewer } from './slice';
import { fieldDefaults, withoutDefaults } from './wire';
import type { MeetingState } from './meeting';

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
  // Defaults only for the wire (see `loggedOnTheWire`): a class joining is mostly listening students.
  role: Role.default('viewer'),
  audioMode: AudioMode.default('listen-only'),
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
  // Defaults only for the wire (see `participantsOnTheWire`): a class is mostly listening students.
  role: Role.default('viewer'),
  audioMode: AudioMode.default('listen-only'),
  /** Has at least one live connection (or is within the reconnect grace). */
  present: z.boolean().default(true),
  inMedia: z.boolean().default(false),
  /** Why they are no longer present; null while present. */
  leftReason: z.enum(['left', 'disconnected', 'removed', 'meeting_ended']).nullable().default(null),
  device: z.string().optional(),
  status: z.enum(['away']).nullable().default(null),
  /** The last reaction and when it was sent; the UI shows it for REACTION_SECONDS. */
  reaction: z.object({ reaction: Reaction, at: z.string() }).nullable().default(null),
  joinedAt: z.string(),
});
export type Participant = z.infer<typeof Participant>;

/**
 * The participant list by id. On the wire (snapshots) each participant leaves out its id, which
 * is its key, and the fields at their default (see `participantsOnTheWire`): a large class's
 * snapshot is about half the bytes. Parsing fills them back in.
 */
const ParticipantList = z
  .record(z.string(), Participant.extend({ id: ParticipantId.optional() }))
  .transform((list): Record<string, Participant> => {
    const out: Record<string, Participant> = {};
    for (const id in list) out[id] = { id, ...list[id] };
    return out;
  });

/** The fields of a participant that parsing fills in when left out, with the value it fills. */
const DEFAULTS = fieldDefaults(Participant.shape);

/** The participant list as it goes out: without what parsing fills back in (ids, defaults). */
export function participantsOnTheWire(list: Record<string, Participant>): z.input<typeof ParticipantList> {
  const out: Record<string, Partial<Participant>> = {};
  for (const id in list) out[id] = withoutDefaults(list[id], DEFAULTS, 'id');
  return out as z.input<typeof ParticipantList>;
}

/** The participants' part of the meeting state; the defaults are a new meeting's. */
export const ParticipantsState = z.object({
  participants: ParticipantList.default(() => ({})),
  /** Banned participants and the device hashes they joined from: neither may come back. */
  banned: z
    .object({ participants: z.array(ParticipantId), devices: z.array(z.string()) })
    .default(() => ({ participants: [], devices: [] })),
});

/** Applies a change to one participant, if known. */
export function updateParticipant(state: MeetingState, id: string, patch: Partial<Participant>): MeetingState {
  const p = state.participants[id];
  if (!p) return state;
  return { ...state, participants: { ...state.participants, [id]: { ...p, ...patch } } };
}

/**
 * Under the participant-list lock a viewer sees the moderators, the presenter and themself only
 * (as in BigBlueButton); the server enforces it in snapshots and in what it delivers.
 */
export function seesParticipant(state: MeetingState, who: Viewer, id: string): boolean {
  if (who.role === 'moderator' || !state.locks.participantList) return true;
  return id === who.id || id === state.presenterId || state.participants[id]?.role === 'moderator';
}

/**
 * Device hashes are what bans hold on; they never leave the server, so no participant can
 * follow another's browser (the hash is also keyed by room, so it differs from class to class).
 */
export function withoutDevice<T extends { device?: string }>(x: T): T {
  return x.device === undefined ? x : { ...x, device: undefined };
}

type ParticipantEvent = z.infer<
  | typeof ParticipantJoined
  | typeof ParticipantLeft
  | typeof ParticipantAudioModeChanged
  | typeof ParticipantRoleChanged
  | typeof ParticipantMediaChanged
  | typeof ParticipantBanned
>;

/**
 * Folds a run of participant events. The list is copied once for the whole run and changed in
 * place while the copy is this call's alone: a class of 1,000 joining together costs one copy
 * of the list, not one per student (which grows with the class: quadratic).
 */
function foldParticipants(state: MeetingState, run: readonly { event: ParticipantEvent; at: string }[]): MeetingState {
  let list: Record<string, Participant> | null = null;
  const own = () => (list ??= { ...state.participants });
  const get = (id: string): Participant | undefined => (list ?? state.participants)[id];
  const update = (id: string, patch: Partial<Participant>) => {
    const p = get(id);
    if (p) own()[id] = { ...p, ...patch };
  };
  let s = state;
  for (const { event: e, at } of run) {
    switch (e.type) {
      case 'participant.joined': {
        const previous = get(e.participantId);
        own()[e.participantId] = {
          id: e.participantId,
          name: e.name,
          role: e.role,
          audioMode: e.audioMode,
          present: true,
          leftReason: null,
          status: previous?.status ?? null,
          reaction: previous?.reaction ?? null,
          inMedia: previous?.inMedia ?? false,
          joinedAt: previous?.joinedAt ?? at,
          // A return after a lapse carries no device: the first join's still holds for a ban.
          ...(e.device || previous?.device ? { device: e.device ?? previous?.device } : {}),
        };
        break;
      }
      case 'participant.left':
        // Someone who is gone neither presents nor waits with a raised hand.
        update(e.participantId, { present: false, inMedia: false, leftReason: e.reason });
        s = {
          ...s,
          presenterId: s.presenterId === e.participantId ? null : s.presenterId,
          hands: s.hands.filter((id) => id !== e.participantId),
        };
        break;
      case 'participant.audio-mode-changed':
        update(e.participantId, { audioMode: e.audioMode });
        break;
      case 'participant.role-changed':
        update(e.participantId, { role: e.role });
        break;
      case 'participant.media-changed':
        update(e.participantId, { inMedia: e.connected });
        break;
      case 'participant.banned':
        s = {
          ...s,
          banned: {
            participants: [...s.banned.participants, e.participantId],
            devices: e.device ? [...s.banned.devices, e.device] : s.banned.devices,
          },
        };
        break;
    }
  }
  return list ? { ...s, participants: list } : s;
}

export const participants = defineSlice({
  commands: [AudioSetMode, ParticipantSetRole, ParticipantLeave, ParticipantRemove],
  events: [
    ParticipantJoined,
    ParticipantLeft,
    ParticipantAudioModeChanged,
    ParticipantRoleChanged,
    ParticipantMediaChanged,
    ParticipantBanned,
  ],
  permissions: {
    'audio.set-mode': {
      who: 'anyone',
      rate: RATES.gesture,
      lock: (c) => (c.mode === 'microphone' ? 'microphone' : null),
    },
    'participant.leave': { who: 'anyone', rate: RATES.rare },
    'participant.remove': { who: 'moderator', rate: RATES.moderation },
    'participant.set-role': { who: 'moderator', rate: RATES.moderation },
  },
  fold: (state, event, at) => foldParticipants(state, [{ event, at }]),
  foldRun: foldParticipants,
  view(view, state, who) {
    const participants = Object.fromEntries(
      Object.entries(state.participants)
        .filter(([id]) => seesParticipant(state, who, id))
        .map(([id, p]) => [id, withoutDevice(p)]),
    );
    return { ...view, participants, banned: { participants: state.banned.participants, devices: [] } };
  },
  // Under the participant-list lock a viewer sees themself among the others.
  personal: (state, who) => who.role !== 'moderator' && state.locks.participantList,
  forClients(e) {
    if (e.type === 'participant.joined') return withoutDevice(e);
    if (e.type === 'participant.banned') return { ...e, device: null };
    return e;
  },
});
