import { Injectable } from '@nestjs/common';
import type { controls, MeetingState } from '@estrade/protocol';
import { type SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';

/** The teacher's controls: presenter, locks, muting, raised hands. Who may is in the permission table. */
@Injectable()
export class ControlsCommands {
  handlers(): SliceHandlers<typeof controls> {
    return {
      'presenter.set': ({ state }, cmd) => {
        presentTarget(state, cmd.participantId);
        return {
          events:
            state.presenterId === cmd.participantId
              ? []
              : [{ type: 'presenter.changed', participantId: cmd.participantId }],
        };
      },

      'locks.update': ({ state }, cmd) => {
        const locks = { ...state.locks, ...cmd.locks };
        const changed = Object.entries(locks).some(([k, v]) => state.locks[k as keyof typeof locks] !== v);
        return { events: changed ? [{ type: 'locks.changed', locks }] : [] };
      },

      'participant.mute': ({ state }, cmd) => {
        presentTarget(state, cmd.participantId);
        return { events: [{ type: 'participant.muted', participantId: cmd.participantId, onJoin: false }] };
      },

      'meeting.mute-all': ({ state, actor }, cmd) => {
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
      },

      'hand.raise': ({ state, actor }) => ({
        events: state.hands.includes(actor.id) ? [] : [{ type: 'hand.raised', participantId: actor.id }],
      }),

      'hand.lower': ({ state, actor }, cmd) => {
        const id = cmd.participantId ?? actor.id;
        return { events: state.hands.includes(id) ? [{ type: 'hand.lowered', participantId: id }] : [] };
      },

      'status.set': ({ actor }, cmd) => ({
        events:
          actor.status === cmd.status
            ? []
            : [{ type: 'participant.status-changed', participantId: actor.id, status: cmd.status }],
      }),

      'reaction.send': ({ actor }, cmd) => ({
        events: [{ type: 'participant.reacted', participantId: actor.id, reaction: cmd.reaction }],
      }),

      'statuses.clear': () => ({ events: [{ type: 'statuses.cleared' }] }),

      'hands.lower-all': ({ state }) => ({
        events: state.hands.map((participantId) => ({ type: 'hand.lowered' as const, participantId })),
      }),
    };
  }
}

function presentTarget(state: MeetingState, participantId: string) {
  if (!state.participants[participantId]?.present) {
    throw new CommandError('not_found', 'No such participant in this meeting');
  }
}
