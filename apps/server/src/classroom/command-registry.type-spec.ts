// Type tests, checked by `npm run typecheck` (tsc on the specs): each `@ts-expect-error` must
// meet an error, so the registry's guarantees are themselves tested.
import type { chat } from '@estrade/protocol';
import type { CommandHandler, CommandHandlers, SliceHandlers } from '../meetings/command-bus';

declare const all: CommandHandlers;
declare const chatHandlers: SliceHandlers<typeof chat>;
declare const endHandler: CommandHandler<'meeting.end'>;

// The complete set compiles.
export const complete = { ...all } satisfies CommandHandlers;

// A command without a handler does not.
declare const withoutChatClear: Omit<CommandHandlers, 'chat.clear'>;
// @ts-expect-error 'chat.clear' has no handler
export const missing = { ...withoutChatClear } satisfies CommandHandlers;

// A feature cannot handle another feature's command: each command has exactly one handler.
// @ts-expect-error 'meeting.end' belongs to the meeting's life, not to the chat
export const foreign = { ...chatHandlers, 'meeting.end': endHandler } satisfies SliceHandlers<typeof chat>;

// A feature must handle every command of its slice.
declare const chatWithoutSend: Omit<SliceHandlers<typeof chat>, 'chat.send'>;
// @ts-expect-error the chat's handlers lack 'chat.send'
export const incomplete: SliceHandlers<typeof chat> = chatWithoutSend;

// A handler receives its own command's payload.
export const typed: CommandHandler<'chat.send'> = (_ctx, cmd) => {
  // @ts-expect-error a chat message has no 'participantId'
  void cmd.participantId;
  return { events: [] };
};
