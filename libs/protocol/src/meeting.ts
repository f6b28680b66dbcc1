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
import {
  DEFAULT_SETTINGS,
  GuestAdmitted,
  GuestDenied,
  GuestLeft,
  GuestsAdmit,
  GuestsAdmitAll,
  GuestsDeny,
  GuestsMessage,
  GuestsMessaged,
  GuestWaiting,
  MeetingEndingSoon,
  MeetingSettings,
  SettingsChanged,
  SettingsUpdate,
  WaitingGuest,
} from './access';
import {
  CHAT_PAGE,
  ChatClear,
  ChatCleared,
  ChatDelete,
  ChatDeleted,
  ChatEdit,
  ChatEdited,
  ChatMessage,
  ChatReact,
  ChatReactionToggled,
  ChatSend,
  ChatSent,
  readsMessage,
} from './chat';
import {
  foldSlides,
  NO_SLIDES,
  PresentationAdd,
  PresentationAdded,
  PresentationDownloadableChanged,
  PresentationProcessed,
  PresentationRemove,
  PresentationRemoved,
  PresentationSetDownloadable,
  PresentationShow,
  PresentationShown,
  SlideChanged,
  SlideGoto,
  SlidesState,
  SlideViewport,
  SlideViewportChanged,
} from './presentations';

export const MeetingEnd = z.object({ type: z.literal('meeting.end'), closeRoom: z.boolean().default(false) }).strict();
export const MeetingEnded = z.object({
  type: z.literal('meeting.ended'),
  roomClosed: z.boolean(),
  reason: z.enum(['moderator', 'duration']).default('moderator'),
});

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
  SettingsUpdate,
  GuestsAdmit,
  GuestsDeny,
  GuestsAdmitAll,
  GuestsMessage,
  ChatSend,
  ChatEdit,
  ChatDelete,
  ChatReact,
  ChatClear,
  PresentationAdd,
  PresentationShow,
  PresentationRemove,
  PresentationSetDownloadable,
  SlideGoto,
  SlideViewport,
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
  SettingsChanged,
  GuestWaiting,
  GuestAdmitted,
  GuestDenied,
  GuestLeft,
  GuestsMessaged,
  MeetingEndingSoon,
  ChatSent,
  ChatEdited,
  ChatDeleted,
  ChatReactionToggled,
  ChatCleared,
  PresentationAdded,
  PresentationProcessed,
  PresentationShown,
  PresentationRemoved,
  PresentationDownloadableChanged,
  SlideChanged,
  SlideViewportChanged,
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
  /** Null until the meeting's first settings are logged when it starts. */
  settings: MeetingSettings.nullable(),
  endsAt: z.string().nullable(),
  /** Set once the end is near: the warning participants see. */
  endingSoon: z.boolean(),
  /** Moderators only: the waiting room (stripped from viewers' snapshots). */
  waiting: z.record(z.string(), WaitingGuest),
  waitingMessage: z.string().nullable(),
  /** Chat messages in order; snapshots carry the last page a participant may read. */
  chat: z.array(ChatMessage),
  chatClearedAt: z.string().nullable(),
  /** Presentations, the one on screen and its viewport. */
  slides: SlidesState,
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
    settings: null,
    endsAt: null,
    endingSoon: false,
    waiting: {},
    waitingMessage: null,
    chat: [],
    chatClearedAt: null,
    slides: NO_SLIDES,
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
            // A return after a lapse carries no device: the first join's still holds for a ban.
            ...(e.device || previous?.device ? { device: e.device ?? previous?.device } : {}),
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
            since: logged.at,
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
    case 'chat.sent':
      return {
        ...state,
        chat: [
          ...state.chat,
          {
            id: e.messageId,
            at: logged.at,
            from: e.from,
            to: e.to,
            text: e.text,
            replyTo: e.replyTo,
            mentions: e.mentions,
            editedAt: null,
            deleted: false,
            reactions: {},
          },
        ],
      };
    case 'chat.edited':
      return updateMessage(state, e.messageId, (m) => ({
        ...m,
        text: e.text,
        mentions: e.mentions,
        editedAt: logged.at,
      }));
    case 'chat.deleted':
      return updateMessage(state, e.messageId, (m) => ({ ...m, text: '', mentions: [], deleted: true, reactions: {} }));
    case 'chat.reaction-toggled':
      return updateMessage(state, e.messageId, (m) => {
        const by = (m.reactions[e.reaction] ?? []).filter((id) => id !== e.by);
        return { ...m, reactions: { ...m.reactions, [e.reaction]: e.on ? [...by, e.by] : by } };
      });
    case 'chat.cleared':
      // Clearing empties the public chat; private conversations are not the moderator's to erase.
      return { ...state, chat: state.chat.filter((m) => m.to !== null), chatClearedAt: logged.at };
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
    case 'presentation.added':
    case 'presentation.processed':
    case 'presentation.shown':
    case 'presentation.removed':
    case 'presentation.downloadable-changed':
    case 'slide.changed':
    case 'slide.viewport-changed':
      return { ...state, slides: foldSlides(state.slides, e) };
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

function updateMessage(state: MeetingState, id: string, f: (m: ChatMessage) => ChatMessage): MeetingState {
  const i = state.chat.findIndex((m) => m.id === id);
  if (i < 0) return state;
  const chat = [...state.chat];
  chat[i] = f(chat[i]);
  return { ...state, chat };
}

/**
 * The state as one participant may see it: the waiting room is for moderators only. Snapshots
 * go through this; the events it hides are addressed to moderators, so a viewer's fold agrees.
 */
export function viewFor(state: MeetingState, who: Viewer): MeetingState {
  // Everyone, moderators included, reads only the public chat and their own conversations.
  const readable = state.chat.filter((m) => readsMessage(m, who.id));
  const chat = readable.slice(-CHAT_PAGE);
  const mine = { ...withoutDevices(state), chat };
  if (who.role === 'moderator') return mine;
  const view = { ...mine, waiting: {}, waitingMessage: null };
  if (!state.locks.participantList) return view;
  const seen = (id: string) => seesParticipant(state, who, id);
  return {
    ...view,
    participants: Object.fromEntries(Object.entries(state.participants).filter(([id]) => seen(id))),
    hands: state.hands.filter(seen),
  };
}

type Viewer = { id: string; role: Participant['role'] };

/**
 * Device hashes are what bans hold on; they never leave the server, so no participant can
 * follow another's browser (the hash is also keyed by room, so it differs from class to class).
 */
function withoutDevices(state: MeetingState): MeetingState {
  const strip = <T extends { device?: string }>(x: T): T => (x.device === undefined ? x : { ...x, device: undefined });
  const map = <T extends { device?: string }>(r: Record<string, T>) =>
    Object.fromEntries(Object.entries(r).map(([id, x]) => [id, strip(x)]));
  return {
    ...state,
    participants: map(state.participants),
    waiting: map(state.waiting),
    banned: { participants: state.banned.participants, devices: [] },
  };
}

/** A logged event as it goes to clients: its place, time and actor, and the event without server-only fields. */
export function loggedForClients(e: Pick<LoggedEvent, 'seq' | 'at' | 'actor' | 'event'>): LoggedEvent {
  return { seq: e.seq, at: e.at, actor: e.actor, event: eventForClients(e.event) };
}

/** An event as it goes to clients: without the device hashes kept for bans. */
export function eventForClients(event: MeetingEvent): MeetingEvent {
  switch (event.type) {
    case 'participant.joined':
    case 'guest.waiting':
      return event.device === undefined ? event : { ...event, device: undefined };
    case 'participant.banned':
      return { ...event, device: null };
    default:
      return event;
  }
}

/**
 * Under the participant-list lock a viewer sees the moderators, the presenter and themself only
 * (as in BigBlueButton); the server enforces it in snapshots and in what it delivers.
 */
function seesParticipant(state: MeetingState, who: Viewer, id: string): boolean {
  if (who.role === 'moderator' || !state.locks.participantList) return true;
  return id === who.id || id === state.presenterId || state.participants[id]?.role === 'moderator';
}

/** Whether a logged event goes to this participant, judged on the state after it. */
export function deliversTo(logged: Pick<LoggedEvent, 'audience' | 'event'>, state: MeetingState, who: Viewer): boolean {
  if (!isAudience(logged.audience, who)) return false;
  const subject = 'participantId' in logged.event ? logged.event.participantId : null;
  return typeof subject !== 'string' || seesParticipant(state, who, subject);
}

export { DEFAULT_SETTINGS };

/** Events only moderators receive: the waiting room's comings and goings. */
const FOR_MODERATORS: ReadonlySet<MeetingEvent['type']> = new Set([
  'guest.waiting',
  'guest.admitted',
  'guest.denied',
  'guest.left',
  'guests.messaged',
] as const);

/** Who an event is for, judged on the state before it: moderators, a private conversation's two ends, or all. */
export function audienceOf(event: MeetingEvent, state: MeetingState): Audience | null {
  if (FOR_MODERATORS.has(event.type)) return { roles: ['moderator'] };
  if (event.type === 'chat.sent') return event.to ? { participants: [event.from, event.to] } : null;
  if ('messageId' in event) {
    const m = state.chat.find((x) => x.id === event.messageId);
    return m?.to ? { participants: [m.from, m.to] } : null;
  }
  return null;
}
