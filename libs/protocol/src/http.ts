import { z } from 'zod';
import { AudioMode, DisplayName, MeetingId, ParticipantId, Role, RoomName } from './common';
import { MeetingSettings, RoomPassword } from './access';
import type { Rate } from './permissions';

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

/** Reply of the socket's `media.token` request. */
export const MediaToken = z.object({ url: z.string(), token: z.string() });
export type MediaToken = z.infer<typeof MediaToken>;

/** Reply of the socket's `session.renew` request. */
export const SessionRenewal = z.object({ sessionToken: z.string(), sessionExpiresAt: z.string() });
export type SessionRenewal = z.infer<typeof SessionRenewal>;

/** Socket handshake `auth` payload. */
export const Handshake = z.object({
  token: z.string().min(1).max(2000),
  protocol: z.number().int(),
  /** Last event seq the client holds; the server then sends only what came after. */
  lastSeq: z.number().int().nonnegative().optional(),
});
export type Handshake = z.infer<typeof Handshake>;

/** Names of socket.io messages, in one place. */
export const SOCKET = {
  command: 'command',
  snapshot: 'snapshot',
  event: 'event',
  mediaToken: 'media.token',
  sessionRenew: 'session.renew',
  chatHistory: 'chat.history',
  chatTyping: 'chat.typing',
  presentationAccess: 'presentation.access',
  presentationProgress: 'presentation.progress',
  fatal: 'fatal',
} as const;

/**
 * How often one participant may send each message a client sends (commands also have a rate
 * per type in the permission table). Beyond it: `too_fast` to a request, silence to a relay.
 */
export const CLIENT_MESSAGE_RATES: Readonly<Record<string, Rate>> = {
  /** All commands together, before each type's own rate: a cap on parsing work. */
  [SOCKET.command]: { burst: 100, everyMs: 20 },
  // Signing a token is cheap; these stop a script, not a page that asks again after a reload.
  [SOCKET.mediaToken]: { burst: 10, everyMs: 2000 },
  [SOCKET.sessionRenew]: { burst: 10, everyMs: 5000 },
  [SOCKET.presentationAccess]: { burst: 20, everyMs: 1000 },
  [SOCKET.chatHistory]: { burst: 10, everyMs: 500 },
  /** "Typing…" is sent at most every few seconds by the web app; relays beyond this are dropped. */
  [SOCKET.chatTyping]: { burst: 3, everyMs: 1000 },
};

/** New socket connections of one participant (reloads, tabs, reconnects). */
export const CONNECTION_RATE: Rate = { burst: 10, everyMs: 3000 };
