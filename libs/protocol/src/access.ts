import { z } from 'zod';
import { AudioMode, ParticipantId } from './common';
import { withoutDevice } from './participants';
import { RATES } from './rules';
import { defineSlice } from './slice';

export const GuestPolicy = z.enum(['always-accept', 'ask-moderator', 'always-deny']);
export type GuestPolicy = z.infer<typeof GuestPolicy>;

/** A meeting's access settings, set on the room and changeable live by moderators. */
export const MeetingSettings = z.object({
  guestPolicy: GuestPolicy,
  /** Participants at most (moderators always get in); null for no limit. */
  maxParticipants: z.number().int().min(2).max(1000).nullable(),
  /** Minutes the meeting may last; null for no limit. */
  maxDurationMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullable(),
  /** Newcomers join with their microphone muted. */
  joinMuted: z.boolean(),
  /** Shown first in the public chat. */
  welcomeMessage: z.string().trim().max(1000).nullable(),
});
export type MeetingSettings = z.infer<typeof MeetingSettings>;
export const DEFAULT_SETTINGS: MeetingSettings = {
  guestPolicy: 'always-accept',
  maxParticipants: null,
  maxDurationMinutes: null,
  joinMuted: false,
  welcomeMessage: null,
};

export const RoomPassword = z.string().min(4, 'too_short').max(128, 'too_long');

// Commands

export const SettingsUpdate = z
  .object({
    type: z.literal('settings.update'),
    settings: MeetingSettings.partial().strict(),
  })
  .strict();
const GuestIds = z.array(ParticipantId).min(1).max(500);
export const GuestsAdmit = z.object({ type: z.literal('guests.admit'), guestIds: GuestIds }).strict();
export const GuestsDeny = z.object({ type: z.literal('guests.deny'), guestIds: GuestIds }).strict();
export const GuestsAdmitAll = z.object({ type: z.literal('guests.admit-all') }).strict();
export const GuestsMessage = z.object({ type: z.literal('guests.message'), text: z.string().max(500) }).strict();

// Events

export const SettingsChanged = z.object({
  type: z.literal('settings.changed'),
  /** Version 2: with the welcome message (see the upgrade below). */
  settings: MeetingSettings,
  /** When the meeting will end by itself (from the start and the maximum duration), if ever. */
  endsAt: z.string().nullable(),
});
export const GuestWaiting = z.object({
  type: z.literal('guest.waiting'),
  guestId: ParticipantId,
  name: z.string(),
  audioMode: AudioMode,
  device: z.string().max(128).optional(),
});
export const GuestAdmitted = z.object({ type: z.literal('guest.admitted'), guestId: ParticipantId });
export const GuestDenied = z.object({ type: z.literal('guest.denied'), guestId: ParticipantId });
/** The guest closed the waiting page (stopped asking) before anyone decided. */
export const GuestLeft = z.object({ type: z.literal('guest.left'), guestId: ParticipantId });
export const GuestsMessaged = z.object({ type: z.literal('guests.messaged'), text: z.string() });
export const MeetingEndingSoon = z.object({ type: z.literal('meeting.ending-soon'), endsAt: z.string() });

export const WaitingGuest = z.object({
  id: ParticipantId,
  name: z.string(),
  audioMode: AudioMode,
  device: z.string().optional(),
  since: z.string(),
  status: z.enum(['waiting', 'admitted', 'denied', 'left']),
});
export type WaitingGuest = z.infer<typeof WaitingGuest>;

/** Access's part of the meeting state (settings, the planned end, the waiting room); the defaults are a new meeting's. */
export const AccessState = z.object({
  /** Null until the meeting's first settings are logged when it starts. */
  settings: MeetingSettings.nullable().default(null),
  endsAt: z.string().nullable().default(null),
  /** Set once the end is near: the warning participants see. */
  endingSoon: z.boolean().default(false),
  /** Moderators only: the waiting room (stripped from viewers' snapshots). */
  waiting: z.record(z.string(), WaitingGuest).default(() => ({})),
  waitingMessage: z.string().nullable().default(null),
});

export const access = defineSlice({
  commands: [SettingsUpdate, GuestsAdmit, GuestsDeny, GuestsAdmitAll, GuestsMessage],
  events: [SettingsChanged, GuestWaiting, GuestAdmitted, GuestDenied, GuestLeft, GuestsMessaged, MeetingEndingSoon],
  permissions: {
    'settings.update': { who: 'moderator', rate: RATES.moderation },
    'guests.admit': { who: 'moderator', rate: RATES.moderation },
    'guests.deny': { who: 'moderator', rate: RATES.moderation },
    'guests.admit-all': { who: 'moderator', rate: RATES.moderation },
    'guests.message': { who: 'moderator', rate: RATES.moderation },
  },
  upgrades: {
    // Version 1 could lack the welcome message, added later: none.
    'settings.changed': [(v1) => ({ ...v1, settings: { welcomeMessage: null, ...(v1.settings as object) } })],
  },
  fold(state, e, at) {
    switch (e.type) {
      case 'settings.changed':
        return { ...state, settings: e.settings, endsAt: e.endsAt };
      case 'meeting.ending-soon':
        return { ...state, endingSoon: true };
      case 'guest.waiting':
        return {
          ...state,
          waiting: {
            ...state.waiting,
            [e.guestId]: {
              id: e.guestId,
              name: e.name,
              audioMode: e.audioMode,
              since: at,
              status: 'waiting',
              ...(e.device ? { device: e.device } : {}),
            },
          },
        };
      case 'guest.admitted':
      case 'guest.denied':
      case 'guest.left': {
        const guest = state.waiting[e.guestId];
        if (!guest || guest.status !== 'waiting') return state;
        const status = e.type === 'guest.admitted' ? 'admitted' : e.type === 'guest.denied' ? 'denied' : 'left';
        return { ...state, waiting: { ...state.waiting, [e.guestId]: { ...guest, status } } };
      }
      case 'guests.messaged':
        return { ...state, waitingMessage: e.text || null };
    }
  },
  // The waiting room's comings and goings are for moderators only.
  audience: (e) =>
    e.type === 'settings.changed' || e.type === 'meeting.ending-soon' ? null : { roles: ['moderator'] },
  view(view, state, who) {
    if (who.role !== 'moderator') return { ...view, waiting: {}, waitingMessage: null };
    return {
      ...view,
      waiting: Object.fromEntries(Object.entries(state.waiting).map(([id, g]) => [id, withoutDevice(g)])),
    };
  },
  forClients: (e) => (e.type === 'guest.waiting' ? withoutDevice(e) : e),
});
