import { z } from 'zod';
import { AudioMode, DisplayName, MeetingId, ParticipantId, Role, RoomName } from './common';
import { MeetingSettings, RoomPassword } from './access';
import { LIVE_REQUESTS, LIVE_TRANSIENT, type LivePush, type LiveRequest, type LiveTransient } from './live';
import type { Rate } from './rules';

/** POST /api/rooms */
export const CreateRoomRequest = z
  .object({
    name: RoomName,
    password: RoomPassword.optional(),
    settings: MeetingSettings.partial().strict().optional(),
  })
  .strict();
export const CreateRoomResponse = z.object({
  roomId: z.uuid(),
  name: z.string(),
  moderatorCode: z.string(),
  viewerCode: z.string(),
});
export type CreateRoomResponse = z.infer<typeof CreateRoomResponse>;

/** GET /api/join/:code */
export const JoinInfo = z.object({ roomName: z.string(), role: Role, passwordRequired: z.boolean() });
export type JoinInfo = z.infer<typeof JoinInfo>;

/** POST /api/join/:code */
export const JoinRequest = z
  .object({ name: DisplayName, audioMode: AudioMode, password: z.string().max(128).optional() })
  .strict();
export const JoinResponse = z.object({
  meetingId: MeetingId,
  participantId: ParticipantId,
  /** Short-lived session token: the only proof of identity the socket accepts. */
  sessionToken: z.string(),
  sessionExpiresAt: z.string(),
});
export type JoinResponse = z.infer<typeof JoinResponse>;

/** POST /api/join/:code when a moderator must let the guest in: poll GET /api/waiting/:ticket. */
export const WaitingResponse = z.object({ waiting: z.literal(true), ticket: z.string() });
export type WaitingResponse = z.infer<typeof WaitingResponse>;
export const JoinOrWait = z.union([JoinResponse, WaitingResponse]);

/** GET /api/waiting/:ticket */
export const WaitingStatus = z.object({
  status: z.enum(['waiting', 'admitted', 'denied', 'left']),
  message: z.string().nullable(),
  joined: JoinResponse.optional(),
});
export type WaitingStatus = z.infer<typeof WaitingStatus>;

export const ApiError = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** Socket handshake `auth` payload. */
export const Handshake = z.object({
  token: z.string().min(1).max(2000),
  protocol: z.number().int(),
  /** Last event seq the client holds; the server then sends only what came after. */
  lastSeq: z.number().int().nonnegative().optional(),
});
export type Handshake = z.infer<typeof Handshake>;

/** Names of socket.io messages, in one place: the spine's, then the live channel's. */
export const SOCKET = {
  command: 'command',
  snapshot: 'snapshot',
  /** After a resume's missed events: up to date (Resumed). */
  resumed: 'resumed',
  event: 'event',
  /** Events in log order, several at once (what a meeting logged within one turn of the server). */
  events: 'events',
  fatal: 'fatal',
  mediaToken: 'media.token',
  sessionRenew: 'session.renew',
  clock: 'clock',
  chatHistory: 'chat.history',
  chatTyping: 'chat.typing',
  slidePan: 'slide.pan',
  annotationDraft: 'annotation.draft',
  whiteboardCursor: 'whiteboard.cursor',
  presentationAccess: 'presentation.access',
  presentationProgress: 'presentation.progress',
} as const satisfies Record<
  string,
  'command' | 'snapshot' | 'resumed' | 'event' | 'events' | 'fatal' | LiveRequest | LiveTransient | LivePush
>;

/**
 * How often one participant may send each message a client sends: commands together (each
 * type also has its rate in the permission table), then each live message's own rate. Beyond
 * it: `too_fast` to a request, silence to a relay.
 */
export const CLIENT_MESSAGE_RATES: Readonly<Record<string, Rate>> = {
  /** All commands together, before each type's own rate: a cap on parsing work. */
  [SOCKET.command]: { burst: 100, everyMs: 20 },
  ...Object.fromEntries(
    Object.entries({ ...LIVE_REQUESTS, ...LIVE_TRANSIENT }).map(([name, spec]) => [name, spec.rate]),
  ),
};

/** New socket connections of one participant (reloads, tabs, reconnects). */
export const CONNECTION_RATE: Rate = { burst: 10, everyMs: 3000 };
