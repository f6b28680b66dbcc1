import { z } from 'zod';
import { ParticipantId } from './common';
import type { MeetingState } from './meeting';
import { RATES } from './rules';
import { defineSlice } from './slice';

export const CHAT_MAX_LENGTH = 5000;
/** Messages in a snapshot; older ones come page by page on request. */
export const CHAT_PAGE = 50;

/**
 * A meeting's chat as a whole. The newest messages, up to `kept` or `keptChars` of text, are held
 * (in memory, and offered as history); older ones stay in the log only. A snapshot carries the
 * last page within `snapshotChars`, so five-thousand-character messages cannot make it heavy.
 */
export const CHAT_LIMITS = {
  kept: 1000,
  keptChars: 500_000,
  snapshotChars: 32_000,
} as const;

/** The newest of these messages whose texts add up to at most `chars` (`count` at most), in order; never none but for an empty list. */
export function newestWithin<M extends { text: string }>(messages: readonly M[], count: number, chars: number): M[] {
  let total = 0;
  let from = messages.length;
  while (from > 0 && messages.length - from < count) {
    total += messages[from - 1].text.length;
    if (total > chars && from < messages.length) break;
    from--;
  }
  return from === 0 ? [...messages] : messages.slice(from);
}

export const MessageId = z.uuid();
export const ChatText = z
  .string()
  .max(CHAT_MAX_LENGTH * 2, 'too_long')
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'empty').max(CHAT_MAX_LENGTH, 'too_long'));
export const ChatReaction = z.enum(['thumbs-up', 'heart', 'laugh', 'surprised', 'sad', 'applause']);
export type ChatReaction = z.infer<typeof ChatReaction>;

// Commands

/** `to`: null for the public chat, else the other participant of a private conversation. */
export const ChatSend = z
  .object({ type: z.literal('chat.send'), to: ParticipantId.nullable(), text: ChatText, replyTo: MessageId.optional() })
  .strict();
export const ChatEdit = z.object({ type: z.literal('chat.edit'), messageId: MessageId, text: ChatText }).strict();
export const ChatDelete = z.object({ type: z.literal('chat.delete'), messageId: MessageId }).strict();
export const ChatReact = z
  .object({ type: z.literal('chat.react'), messageId: MessageId, reaction: ChatReaction })
  .strict();
export const ChatClear = z.object({ type: z.literal('chat.clear') }).strict();

// Events

export const ChatSent = z.object({
  type: z.literal('chat.sent'),
  messageId: MessageId,
  from: ParticipantId,
  to: ParticipantId.nullable(),
  text: z.string(),
  replyTo: MessageId.nullable(),
  /** Participants named with @name, resolved by the server when the message was sent. */
  mentions: z.array(ParticipantId),
});
export const ChatEdited = z.object({
  type: z.literal('chat.edited'),
  messageId: MessageId,
  text: z.string(),
  mentions: z.array(ParticipantId),
});
export const ChatDeleted = z.object({ type: z.literal('chat.deleted'), messageId: MessageId });
export const ChatReactionToggled = z.object({
  type: z.literal('chat.reaction-toggled'),
  messageId: MessageId,
  by: ParticipantId,
  reaction: ChatReaction,
  on: z.boolean(),
});
export const ChatCleared = z.object({ type: z.literal('chat.cleared') });

export const ChatMessage = z.object({
  id: MessageId,
  at: z.string(),
  from: ParticipantId,
  to: ParticipantId.nullable(),
  text: z.string(),
  replyTo: MessageId.nullable(),
  mentions: z.array(ParticipantId),
  editedAt: z.string().nullable(),
  deleted: z.boolean(),
  reactions: z.record(z.string(), z.array(ParticipantId)),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Whether this participant may read this message: public, or one of its two ends. */
export function readsMessage(m: Pick<ChatMessage, 'from' | 'to'>, participantId: string): boolean {
  return m.to === null || m.from === participantId || m.to === participantId;
}

/** `@name` mentions of present participants, longest names first so "@Anne Marie" beats "@Anne". */
export function findMentions(text: string, participants: { id: string; name: string }[]): string[] {
  const lower = text.toLowerCase();
  const found = new Set<string>();
  for (const p of [...participants].sort((a, b) => b.name.length - a.name.length)) {
    const at = lower.indexOf(`@${p.name.toLowerCase()}`);
    if (at >= 0) found.add(p.id);
  }
  return [...found];
}

/** Request/reply on the socket: older messages, newest first, before a message. */
export const ChatHistoryRequest = z.object({ before: MessageId.nullable(), limit: z.number().int().min(1).max(200) });
export const ChatHistory = z.object({ messages: z.array(ChatMessage), more: z.boolean() });
export type ChatHistory = z.infer<typeof ChatHistory>;

/** Transient: who is typing where; relayed, never logged. */
export const ChatTyping = z.object({ to: ParticipantId.nullable() });
export const ChatTypingRelay = z.object({ from: ParticipantId, to: ParticipantId.nullable() });

/**
 * The chat's part of the meeting state: messages in order (snapshots carry the last page one
 * may read); the defaults are a new meeting's.
 */
export const ChatState = z.object({
  chat: z.array(ChatMessage).default(() => []),
  chatClearedAt: z.string().nullable().default(null),
});

function updateMessage(state: MeetingState, id: string, f: (m: ChatMessage) => ChatMessage): MeetingState {
  const i = state.chat.findIndex((m) => m.id === id);
  if (i < 0) return state;
  const chat = [...state.chat];
  chat[i] = f(chat[i]);
  return { ...state, chat };
}

export const chat = defineSlice({
  commands: [ChatSend, ChatEdit, ChatDelete, ChatReact, ChatClear],
  events: [ChatSent, ChatEdited, ChatDeleted, ChatReactionToggled, ChatCleared],
  permissions: {
    'chat.send': {
      who: 'anyone',
      rate: RATES.chat,
      notWhileAway: true,
      // As in BigBlueButton, a private message to a moderator stays allowed under the private-chat lock.
      lock: (c, ctx) => (c.to === null ? 'publicChat' : ctx.roleOf(c.to) === 'moderator' ? null : 'privateChat'),
    },
    'chat.edit': { who: 'anyone', others: 'nobody', rate: RATES.chat, notWhileAway: true },
    'chat.delete': { who: 'anyone', others: 'moderator', rate: RATES.chat },
    'chat.react': { who: 'anyone', rate: RATES.chat, notWhileAway: true },
    'chat.clear': { who: 'moderator', rate: RATES.moderation },
  },
  fold(state, e, at) {
    switch (e.type) {
      case 'chat.sent':
        return {
          ...state,
          chat: newestWithin(
            [
              ...state.chat,
              {
                id: e.messageId,
                at,
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
            CHAT_LIMITS.kept,
            CHAT_LIMITS.keptChars,
          ),
        };
      case 'chat.edited': {
        // A longer text counts too: edits must not grow the chat past its bounds either.
        const edited = updateMessage(state, e.messageId, (m) => ({
          ...m,
          text: e.text,
          mentions: e.mentions,
          editedAt: at,
        }));
        return { ...edited, chat: newestWithin(edited.chat, CHAT_LIMITS.kept, CHAT_LIMITS.keptChars) };
      }
      case 'chat.deleted':
        return updateMessage(state, e.messageId, (m) => ({
          ...m,
          text: '',
          mentions: [],
          deleted: true,
          reactions: {},
        }));
      case 'chat.reaction-toggled':
        return updateMessage(state, e.messageId, (m) => {
          const by = (m.reactions[e.reaction] ?? []).filter((id) => id !== e.by);
          return { ...m, reactions: { ...m.reactions, [e.reaction]: e.on ? [...by, e.by] : by } };
        });
      case 'chat.cleared':
        // Clearing empties the public chat; private conversations are not the moderator's to erase.
        return { ...state, chat: state.chat.filter((m) => m.to !== null), chatClearedAt: at };
    }
  },
  // A private conversation's events go to its two ends only.
  audience(e, state) {
    if (e.type === 'chat.sent') return e.to ? { participants: [e.from, e.to] } : null;
    if (e.type === 'chat.cleared') return null;
    const m = state.chat.find((x) => x.id === e.messageId);
    return m?.to ? { participants: [m.from, m.to] } : null;
  },
  // Everyone, moderators included, reads only the public chat and their own conversations.
  view: (view, state, who) => ({
    ...view,
    chat: newestWithin(
      state.chat.filter((m) => readsMessage(m, who.id)),
      CHAT_PAGE,
      CHAT_LIMITS.snapshotChars,
    ),
  }),
  personal: (state, who) => state.chat.some((m) => m.to !== null && (m.from === who.id || m.to === who.id)),
});
