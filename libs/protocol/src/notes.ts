import { z } from 'zod';
import { ParticipantId } from './common';

// Shared notes: one Yjs document per meeting, which the whole class edits at once. The server
// holds the document (it checks every update, stores it and relays it); clients keep their own
// copy in sync over the live channel with Yjs updates, sent as base64 text.
//
//   - `notes.sync` (request): the client's state vector → what it lacks, and the server's state
//     vector (the client then sends what the server lacks: edits made offline).
//   - `notes.update` (transient, batched): an update of the client's; the server applies and
//     stores it, or refuses it (lock, size, malformed), then relays it to everyone.
//   - `notes.awareness` (transient, batched): carets and selections (y-protocols awareness).

export const NOTES_LIMITS = {
  /** Text of the whole document, in characters. */
  documentChars: 1_000_000,
  /**
   * The whole document as a full sync sends it (text, marks, attributes, structure), in bytes: a
   * million characters of plain text fit, with room for their formatting and history.
   */
  documentBytes: 2 * 1024 * 1024,
  /** Elements and texts nested in one another (a list in a list item counts two): 15 levels of lists. */
  depth: 32,
  /** One update, in bytes (before base64). */
  updateBytes: 256 * 1024,
  /** One awareness update (a caret, a name, a colour), in bytes. */
  awarenessBytes: 4 * 1024,
} as const;

/** The XML fragment of the document the editor binds to (Tiptap's collaboration default). */
export const NOTES_FRAGMENT = 'default';

/** Base64 of at most `bytes` bytes. */
const Base64 = (bytes: number) =>
  z
    .string()
    .max(Math.ceil(bytes / 3) * 4, `over ${Math.round(bytes / 1024)} KB`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

export const NotesSyncRequest = z.object({ stateVector: Base64(64 * 1024) }).strict();
export const NotesSync = z.object({ update: z.string(), stateVector: z.string() });
export type NotesSync = z.infer<typeof NotesSync>;

// Half again the limit: the server refuses an update over the limit itself, with a message that says so.
export const NotesUpdate = z.object({ update: Base64(NOTES_LIMITS.updateBytes * 1.5) }).strict();
export const NotesUpdateRelay = z.object({ from: ParticipantId, update: z.string() });
export type NotesUpdateRelay = z.infer<typeof NotesUpdateRelay>;

export const NotesAwareness = z.object({ update: Base64(NOTES_LIMITS.awarenessBytes) }).strict();
export const NotesAwarenessRelay = z.object({ from: ParticipantId, update: z.string() });
export type NotesAwarenessRelay = z.infer<typeof NotesAwarenessRelay>;

/** Bytes as base64 and back, the same in Node and browsers. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** The notes as a file (GET, the files token as `access`): for everyone in the meeting. */
export function notesFileUrl(format: 'txt' | 'html' | 'pdf', access: string): string {
  return `/api/notes/notes.${format}?access=${encodeURIComponent(access)}`;
}

/** Makes a presentation of the notes (POST, the files token as `access`): moderators only. */
export function notesPresentationUrl(access: string): string {
  return `/api/notes/presentation?access=${encodeURIComponent(access)}`;
}
