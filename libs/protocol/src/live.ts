import { z } from 'zod';
import { ChatHistory, ChatHistoryRequest, ChatTyping, ChatTypingRelay } from './chat';
import { ParticipantId } from './common';
import { BreakoutJoinRequest, BreakoutLeaveRequest, BreakoutSession } from './breakouts';
import { FilesAccess, PresentationId, PresentationProgress, Viewport } from './presentations';
import { RATES, type Rate, type Who } from './rules';
import type { LockName } from './controls';
import {
  NotesAwareness,
  NotesAwarenessRelay,
  NotesSync,
  NotesSyncRequest,
  NotesUpdate,
  NotesUpdateRelay,
} from './notes';
import { AnnotationDraft, AnnotationDraftRelay, WhiteboardCursor, WhiteboardCursorRelay } from './whiteboard';

// The live channel: socket messages beside commands, never logged. Requests get a reply;
// transient messages are relayed to others (drags, "typing…", later strokes in progress,
// cursors and shared-notes updates); pushes come from the server only.

/** Reply of the `media.token` request. */
export const MediaToken = z.object({ url: z.string(), token: z.string() });
export type MediaToken = z.infer<typeof MediaToken>;

/** Reply of the `session.renew` request. */
export const SessionRenewal = z.object({ sessionToken: z.string(), sessionExpiresAt: z.string() });
export type SessionRenewal = z.infer<typeof SessionRenewal>;

/** Reply of the `clock` request: the server's time, for clients to show timers as the server counts. */
export const ServerClock = z.object({ now: z.number() });
export type ServerClock = z.infer<typeof ServerClock>;

/** A request that carries nothing: no argument, or an empty object. */
const Nothing = z.union([z.undefined(), z.null(), z.object({}).strict()]);

/** The presenter's viewport while dragging or zooming; the end of the drag is the logged `slide.viewport`. */
export const SlidePan = z.object({ presentationId: PresentationId, viewport: Viewport }).strict();
export const SlidePanRelay = z.object({ from: ParticipantId, presentationId: PresentationId, viewport: Viewport });
export type SlidePanRelay = z.infer<typeof SlidePanRelay>;

interface RequestSpec {
  request: z.ZodType;
  reply: z.ZodType;
  who: Who;
  rate: Rate;
}
interface TransientSpec {
  /** What the sender sends. */
  send: z.ZodType;
  /** What the others receive. */
  relay: z.ZodType;
  who: Who;
  rate: Rate;
  /** The lock that refuses it to viewers other than the presenter. */
  lock?: LockName;
  /**
   * Relayed in batches: what arrives within one frame (16 ms) goes out as one array per
   * recipient group, so a class drawing at once costs one message per client per frame.
   */
  batched?: true;
}

/** Requests with a reply, by message name. */
export const LIVE_REQUESTS = {
  // Signing a token is cheap; these rates stop a script, not a page that asks again after a reload.
  'media.token': { request: Nothing, reply: MediaToken, who: 'anyone', rate: { burst: 10, everyMs: 2000 } },
  'session.renew': { request: Nothing, reply: SessionRenewal, who: 'anyone', rate: { burst: 10, everyMs: 5000 } },
  'presentation.access': { request: Nothing, reply: FilesAccess, who: 'anyone', rate: { burst: 20, everyMs: 1000 } },
  clock: { request: Nothing, reply: ServerClock, who: 'anyone', rate: { burst: 10, everyMs: 1000 } },
  'chat.history': { request: ChatHistoryRequest, reply: ChatHistory, who: 'anyone', rate: { burst: 10, everyMs: 500 } },
  /** The shared notes a client lacks, on opening them and on every reconnection. */
  'notes.sync': { request: NotesSyncRequest, reply: NotesSync, who: 'anyone', rate: { burst: 10, everyMs: 1000 } },
  /** Into a breakout room: a session for the room's meeting (asked on the main meeting's socket). */
  'breakout.join': {
    request: BreakoutJoinRequest,
    reply: BreakoutSession,
    who: 'anyone',
    rate: { burst: 5, everyMs: 2000 },
  },
  /** Out of a breakout room, back to the main room (asked on the main meeting's socket). */
  'breakout.leave': {
    request: BreakoutLeaveRequest,
    reply: z.object({}),
    who: 'anyone',
    rate: { burst: 5, everyMs: 2000 },
  },
} as const satisfies Record<string, RequestSpec>;

/** Transient messages a client sends for the server to relay, by message name. */
export const LIVE_TRANSIENT = {
  /** "Typing…" is sent at most every few seconds by the web app; relays beyond the rate are dropped. */
  'chat.typing': { send: ChatTyping, relay: ChatTypingRelay, who: 'anyone', rate: { burst: 3, everyMs: 1000 } },
  'slide.pan': { send: SlidePan, relay: SlidePanRelay, who: 'presenter', rate: RATES.panning },
  /** A stroke while it is drawn (the logged `annotation.add` is its end). */
  'annotation.draft': {
    send: AnnotationDraft,
    relay: AnnotationDraftRelay,
    who: 'drawer',
    rate: RATES.live,
    lock: 'whiteboard',
    batched: true,
  },
  /** Drawers' pointers, and the laser pointer. */
  'whiteboard.cursor': {
    send: WhiteboardCursor,
    relay: WhiteboardCursorRelay,
    who: 'drawer',
    rate: RATES.live,
    lock: 'whiteboard',
    batched: true,
  },
  /** An edit of the shared notes: applied and stored by the server, then relayed to everyone. */
  'notes.update': {
    send: NotesUpdate,
    relay: NotesUpdateRelay,
    who: 'anyone',
    // Each key press is an update: a fast typist's pace and a paste, never a script's flood.
    rate: { burst: 60, everyMs: 40 },
    lock: 'sharedNotes',
    batched: true,
  },
  /** Carets and selections in the shared notes, with each editor's name and colour. */
  'notes.awareness': {
    send: NotesAwareness,
    relay: NotesAwarenessRelay,
    who: 'anyone',
    rate: RATES.live,
    batched: true,
  },
} as const satisfies Record<string, TransientSpec>;

/** Pushes from the server, by message name. */
export const LIVE_PUSHES = {
  /** Thumbnails and text processed so far. */
  'presentation.progress': PresentationProgress,
} as const;

export type LiveRequest = keyof typeof LIVE_REQUESTS;
export type LiveTransient = keyof typeof LIVE_TRANSIENT;
export type LivePush = keyof typeof LIVE_PUSHES;
export type RequestOf<K extends LiveRequest> = z.input<(typeof LIVE_REQUESTS)[K]['request']>;
export type ReplyOf<K extends LiveRequest> = z.infer<(typeof LIVE_REQUESTS)[K]['reply']>;
export type TransientOf<K extends LiveTransient> = z.input<(typeof LIVE_TRANSIENT)[K]['send']>;
export type RelayOf<K extends LiveTransient> = z.infer<(typeof LIVE_TRANSIENT)[K]['relay']>;
export type PushOf<K extends LivePush> = z.infer<(typeof LIVE_PUSHES)[K]>;
/** What a client receives on a transient or push name (batched transients: an array). */
export type Incoming<K extends LiveTransient | LivePush> = K extends LiveTransient
  ? (typeof LIVE_TRANSIENT)[K] extends { batched: true }
    ? RelayOf<K>[]
    : RelayOf<K>
  : K extends LivePush
    ? PushOf<K>
    : never;

export const isLiveRequest = (name: string): name is LiveRequest => Object.hasOwn(LIVE_REQUESTS, name);
export const isLiveTransient = (name: string): name is LiveTransient => Object.hasOwn(LIVE_TRANSIENT, name);
