import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_SETTINGS, type MeetingEvent, type MeetingState, type access } from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { type SliceHandlers } from '../meetings/command-bus';
import { endsAt } from '../meetings/duration';

/** Access to a live meeting: its settings and the waiting room. */
@Injectable()
export class AccessCommands {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  handlers(): SliceHandlers<typeof access> {
    return {
      'settings.update': ({ state }, cmd) => {
        const before = state.settings ?? DEFAULT_SETTINGS;
        const settings = { ...before, ...cmd.settings };
        const changed = Object.entries(settings).some(([k, v]) => before[k as keyof typeof before] !== v);
        if (!changed && state.settings) return { events: [] };
        return {
          events: [
            {
              type: 'settings.changed',
              settings,
              endsAt: endsAt(state.startedAt, settings, this.runtime.config.minuteMs),
            },
          ],
        };
      },

      'guests.admit': ({ state }, cmd) => ({ events: admit(state, cmd.guestIds) }),
      'guests.admit-all': ({ state }) => ({ events: admit(state, Object.keys(state.waiting)) }),
      'guests.deny': ({ state }, cmd) => ({
        events: cmd.guestIds
          .filter((id) => state.waiting[id]?.status === 'waiting')
          .map((guestId) => ({ type: 'guest.denied' as const, guestId })),
      }),
      'guests.message': (_ctx, cmd) => ({
        events: [{ type: 'guests.messaged', text: cmd.text.trim() }],
      }),
    };
  }
}

/** Letting a guest in makes them a participant, with the identity their ticket already carries. */
function admit(state: MeetingState, guestIds: string[]): MeetingEvent[] {
  return guestIds.flatMap((id) => {
    const guest = state.waiting[id];
    if (guest?.status !== 'waiting') return [];
    return [
      { type: 'guest.admitted' as const, guestId: id },
      {
        type: 'participant.joined' as const,
        participantId: id,
        name: guest.name,
        role: 'viewer' as const,
        audioMode: guest.audioMode,
        ...(guest.device ? { device: guest.device } : {}),
      },
    ];
  });
}
