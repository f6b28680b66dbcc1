import { Injectable } from '@nestjs/common';
import type { participants } from '@estrade/protocol';
import { type SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';

/** Handlers of the participant commands: decide which events a command produces. */
@Injectable()
export class ParticipantsCommands {
  handlers(): SliceHandlers<typeof participants> {
    return {
      'audio.set-mode': ({ actor }, cmd) => ({
        events:
          actor.audioMode === cmd.mode
            ? []
            : [{ type: 'participant.audio-mode-changed', participantId: actor.id, audioMode: cmd.mode }],
      }),

      'participant.set-role': ({ state }, cmd) => {
        const target = state.participants[cmd.participantId];
        if (!target || !target.present) throw new CommandError('not_found', 'No such participant in this meeting');
        return {
          events:
            target.role === cmd.role
              ? []
              : [{ type: 'participant.role-changed', participantId: target.id, role: cmd.role }],
        };
      },

      'participant.remove': ({ state, actor }, cmd) => {
        const target = state.participants[cmd.participantId];
        if (!target) throw new CommandError('not_found', 'No such participant in this meeting');
        if (target.id === actor.id)
          throw new CommandError('forbidden', 'Leave the meeting instead of removing yourself');
        return {
          events: [
            ...(target.present
              ? [{ type: 'participant.left' as const, participantId: target.id, reason: 'removed' as const }]
              : []),
            ...(cmd.ban && !state.banned.participants.includes(target.id)
              ? [{ type: 'participant.banned' as const, participantId: target.id, device: target.device ?? null }]
              : []),
          ],
        };
      },

      'participant.leave': ({ actor }) => ({
        events: [{ type: 'participant.left', participantId: actor.id, reason: 'left' }],
      }),
    };
  }
}
