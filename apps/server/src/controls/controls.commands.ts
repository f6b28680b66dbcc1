import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { MeetingState } from '@estrade/protocol';
import { CommandBus } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';

/** The teacher's controls: presenter, locks, muting, raised hands. Who may is in the permission table. */
@Injectable()
export class ControlsCommands implements OnModuleInit {
  constructor(private readonly bus: CommandBus) {}

  onModuleInit() {
    this.bus.register('presenter.set', ({ state }, cmd) => {
      presentTarget(state, cmd.participantId);
      return {
        events:
          state.presenterId === cmd.participantId
            ? []
            : [{ type: 'presenter.changed', participantId: cmd.participantId }],
      };
    });

    this.bus.register('locks.update', ({ state }, cmd) => {
      const locks = { ...state.locks, ...cmd.locks };
      const changed = Object.entries(locks).some(([k, v]) => state.locks[k as keyof typeof locks] !== v);
      return { events: changed ? [{ type: 'locks.changed', locks }] : [] };
    });

    this.bus.register('participant.mute', ({ state }, cmd) => {
      presentTarget(state, cmd.participantId);
      return { events: [{ type: 'participant.muted', participantId: cmd.participantId }] };
    });

    this.bus.register('meeting.mute-all', ({ state, actor }, cmd) => {
      const participantIds = Object.values(state.participants)
        .filter(
          (p) =>
            p.present &&
            p.audioMode === 'microphone' &&
            p.id !== actor.id &&
            !(cmd.exceptPresenter && p.id === state.presenterId),
        )
        .map((p) => p.id);
      return { events: [{ type: 'meeting.muted-all', participantIds, exceptPresenter: cmd.exceptPresenter }] };
    });

    this.bus.register('hand.raise', ({ state, actor }) => ({
      events: state.hands.includes(actor.id) ? [] : [{ type: 'hand.raised', participantId: actor.id }],
    }));

    this.bus.register('hand.lower', ({ state, actor }, cmd) => {
      const id = cmd.participantId ?? actor.id;
      return { events: state.hands.includes(id) ? [{ type: 'hand.lowered', participantId: id }] : [] };
    });

    this.bus.register('status.set', ({ actor }, cmd) => ({
      events:
        actor.status === cmd.status
          ? []
          : [{ type: 'participant.status-changed', participantId: actor.id, status: cmd.status }],
    }));

    this.bus.register('reaction.send', ({ actor }, cmd) => ({
      events: [{ type: 'participant.reacted', participantId: actor.id, reaction: cmd.reaction }],
    }));

    this.bus.register('statuses.clear', () => ({ events: [{ type: 'statuses.cleared' }] }));

    this.bus.register('hands.lower-all', ({ state }) => ({
      events: state.hands.map((participantId) => ({ type: 'hand.lowered' as const, participantId })),
    }));
  }
}

function presentTarget(state: MeetingState, participantId: string) {
  if (!state.participants[participantId]?.present) {
    throw new CommandError('not_found', 'No such participant in this meeting');
  }
}
