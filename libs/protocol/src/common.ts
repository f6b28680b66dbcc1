import { z } from 'zod';

/**
 * Sent in the socket handshake; a tab built for another version is told to reload. 2: snapshots
 * and events leave out what parsing fills back in (ids, actors, defaults).
 */
export const PROTOCOL_VERSION = 2;

export const ParticipantId = z.uuid();
export const MeetingId = z.uuid();
export const Role = z.enum(['moderator', 'viewer']);
export type Role = z.infer<typeof Role>;
export const AudioMode = z.enum(['microphone', 'listen-only']);
export type AudioMode = z.infer<typeof AudioMode>;
/** A participant's reaction, shown next to their name for a while. */
export const Reaction = z.enum(['applause', 'thumbs-up', 'thumbs-down', 'confused', 'happy', 'sad']);
export type Reaction = z.infer<typeof Reaction>;

// Control characters (C0, DEL, C1) and the bidi/zero-width format characters that let a name
// impersonate another or break the layout.
const FORBIDDEN_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
export const NAME_MAX_LENGTH = 64;

/** A display name as typed: trimmed, 1–64 characters, no control characters. */
export const DisplayName = z
  .string()
  .max(NAME_MAX_LENGTH * 4, 'too_long')
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'empty')
      .max(NAME_MAX_LENGTH, 'too_long')
      .refine((s) => !FORBIDDEN_IN_NAME.test(s), 'control_characters'),
  );

export const RoomName = z
  .string()
  .max(400, 'too_long')
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'empty')
      .max(100, 'too_long')
      .refine((s) => !FORBIDDEN_IN_NAME.test(s), 'control_characters'),
  );

// NUL, which PostgreSQL refuses in text, and UTF-16 halves without their other half (with the
// `u` flag a well-formed pair is one code point, so only lone surrogates match).
const UNSTORABLE = /[\u0000\ud800-\udfff]/u;

/**
 * Whether any string in this payload (keys included) holds a NUL or a lone surrogate: checked
 * at every edge, so such input is refused as malformed instead of failing in the database.
 */
export function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasUnstorableText(v, depth + 1));
  return Object.entries(value).some(([k, v]) => UNSTORABLE.test(k) || hasUnstorableText(v, depth + 1));
}

/** Stable error codes; the web app shows each in the user's language. */
export const ErrorCode = z.enum([
  'malformed',
  'unknown_command',
  'forbidden',
  'locked',
  'not_found',
  /** An id that is already taken (a shape added twice). */
  'conflict',
  'meeting_ended',
  'room_closed',
  'banned',
  'wrong_password',
  'room_full',
  'guests_denied',
  'too_fast',
  'invalid_code',
  'unauthenticated',
  'protocol_mismatch',
  'too_large',
  'unsupported_type',
  'broken_document',
  'encrypted',
  'too_many_pages',
  'conversion_failed',
  'conversion_timeout',
  'busy',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CommandReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({ ok: z.literal(false), code: ErrorCode, message: z.string() }),
]);
export type CommandReply = z.infer<typeof CommandReply>;

/** Who an addressed event is for; absent means everyone in the meeting. */
export const Audience = z.object({
  participants: z.array(ParticipantId).optional(),
  roles: z.array(Role).optional(),
});
export type Audience = z.infer<typeof Audience>;
