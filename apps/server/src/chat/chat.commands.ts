import { Injectable } from '@nestjs/common';
import type { chat } from '@estrade/protocol';
import { randomUUID } from 'node:crypto';
import { findMentions, readsMessage, type MeetingState, type Participant } from '@estrade/protocol';
import { type SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';

/** The chat: public and private messages, edits, deletions, reactions, clearing. */
@Injectable()
export class ChatCommands {
  handlers(): SliceHandlers<typeof chat> {
    return {
      'chat.send': ({ state, actor }, cmd) => {
        if (cmd.to !== null) {
          if (cmd.to === actor.id || !state.participants[cmd.to]?.present) {
            throw new CommandError('not_found', 'No such participant to write to');
          }
        }
        if (cmd.replyTo) readable(state, actor, cmd.replyTo);
        const audience = cmd.to === null ? present(state) : present(state).filter((p) => p.id === cmd.to);
        return {
          events: [
            {
              type: 'chat.sent',
              messageId: randomUUID(),
              from: actor.id,
              to: cmd.to,
              text: cmd.text,
              replyTo: cmd.replyTo ?? null,
              mentions: findMentions(cmd.text, audience),
            },
          ],
        };
      },

      'chat.edit': ({ state, actor }, cmd) => {
        const m = readable(state, actor, cmd.messageId);
        const audience =
          m.to === null ? present(state) : present(state).filter((p) => p.id === m.to || p.id === m.from);
        return {
          events: [
            { type: 'chat.edited', messageId: m.id, text: cmd.text, mentions: findMentions(cmd.text, audience) },
          ],
        };
      },

      'chat.delete': ({ state, actor }, cmd) => {
        const m = readable(state, actor, cmd.messageId);
        return { events: [{ type: 'chat.deleted', messageId: m.id }] };
      },

      'chat.react': ({ state, actor }, cmd) => {
        const m = readable(state, actor, cmd.messageId);
        const on = !(m.reactions[cmd.reaction] ?? []).includes(actor.id);
        return {
          events: [{ type: 'chat.reaction-toggled', messageId: m.id, by: actor.id, reaction: cmd.reaction, on }],
        };
      },

      'chat.clear': () => ({ events: [{ type: 'chat.cleared' }] }),
    };
  }
}

const present = (state: MeetingState) => Object.values(state.participants).filter((p) => p.present);

/** A message this participant may read and act on; anything else is "not found", never "forbidden". */
function readable(state: MeetingState, actor: Participant, messageId: string) {
  const m = state.chat.find((x) => x.id === messageId);
  if (!m || m.deleted || !readsMessage(m, actor.id)) throw new CommandError('not_found', 'No such message');
  return m;
}
