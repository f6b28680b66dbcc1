import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';

/** Handlers of the participant commands: decide which events a command produces. */
@Injectable()
export class ParticipantsCommands implements OnModuleInit {
  constructor(private readonly bus: CommandBus) {}

  onModuleInit() {
    this.bus.register('audio.set-mode', ({ actor }, cmd) => ({
      events:
        actor.audioMode === cmd.mode
          ? []
          : [{ type: 'participant.audio-mode-changed', participantId: actor.id, audioMode: cmd.mode }],
    }));

    this.bus.register('participant.set-role', ({ state }, cmd) => {
      const target = state.participants[cmd.participantId];
      if (!target || !target.present) throw new CommandError('not_found', 'No such participant in this meeting');
      return {
        events:
          target.role === cmd.role
            ? []
            : [{ type: 'participant.role-changed', participantId: target.id, role: cmd.role }],
      };
    });

    this.bus.register('participant.remove', ({ state, actor }, cmd) => {
      const target = state.participants[cmd.participantId];
      if (!target) throw new CommandError('not_found', 'No such participant in this meeting');
      if (target.id === actor.id) throw new CommandError('forbidden', 'Leave the meeting instead of removing yourself');
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
    });

    this.bus.register('participant.leave', ({ actor }) => ({
      events: [{ type: 'participant.left', participantId: actor.id, reason: 'left' }],
    }));
  }
}
