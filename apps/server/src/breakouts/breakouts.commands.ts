import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { extendedEnd, type breakouts, type MeetingState } from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import type { SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { Deadlines } from '../meetings/deadlines';
import { MeetingsService } from '../meetings/meetings.service';

/**
 * The moderators' breakout commands, decided on the main meeting's state. The rooms' own
 * meetings are opened, joined, told and closed by BreakoutRooms, reacting to these events.
 */
@Injectable()
export class BreakoutsCommands implements OnModuleInit {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly meetings: MeetingsService,
    private readonly deadlines: Deadlines,
  ) {}

  onModuleInit() {
    // The rooms' end is a deadline in the main meeting's state: kept across restarts.
    this.deadlines.define({
      name: 'breakouts',
      due: (state) =>
        state.breakouts ? [{ key: `end@${state.breakouts.endsAt}`, at: Date.parse(state.breakouts.endsAt) }] : [],
      fire: (state) => [
        {
          type: 'breakouts.ended',
          reason: 'time',
          capture: state.breakouts!.capture,
          language: state.breakouts!.language,
        },
      ],
    });
  }

  handlers(): SliceHandlers<typeof breakouts> {
    const minuteMs = this.runtime.config.minuteMs;
    return {
      'breakouts.start': ({ meetingId, state }, cmd) => {
        mainMeeting(state);
        if (state.breakouts) throw new CommandError('conflict', 'Breakout rooms are already open');
        const rooms = cmd.rooms.map((r, i) => ({ id: randomUUID(), number: i + 1, name: r.name }));
        const assigned: Record<string, string> = {};
        cmd.rooms.forEach((r, i) => {
          for (const id of r.participantIds) {
            if (!state.participants[id]) throw new CommandError('not_found', 'No such participant in this meeting');
            assigned[id] = rooms[i].id;
          }
        });
        return {
          events: [
            {
              type: 'breakouts.started',
              rooms,
              endsAt: new Date(Date.now() + cmd.durationMinutes * minuteMs).toISOString(),
              freeChoice: cmd.freeChoice,
              inviteLateJoiners: cmd.inviteLateJoiners,
              content: cmd.content,
              capture: cmd.capture,
              language: cmd.language,
              assigned,
            },
          ],
          // The rooms' meetings exist before anyone hears of them.
          before: this.meetings
            .state(meetingId)
            .then(({ roomId }) => Promise.all(rooms.map((r) => this.meetings.openChild({ id: meetingId, roomId }, r)))),
        };
      },

      'breakouts.extend': ({ state }, cmd) => {
        const b = running(state);
        const endsAt = extendedEnd(b, cmd.minutes, Date.now(), minuteMs);
        if (endsAt <= Date.parse(b.endsAt)) {
          throw new CommandError('conflict', 'Breakout rooms cannot last more than 240 minutes from now');
        }
        return { events: [{ type: 'breakouts.extended', endsAt: new Date(endsAt).toISOString() }] };
      },

      'breakouts.move': ({ state }, cmd) => {
        const b = running(state);
        if (!b.rooms.some((r) => r.id === cmd.roomId)) throw new CommandError('not_found', 'No such breakout room');
        const p = state.participants[cmd.participantId];
        if (!p) throw new CommandError('not_found', 'No such participant in this meeting');
        const now = b.inRoom[p.id];
        if (b.assigned[p.id] === cmd.roomId && (!now || now === cmd.roomId)) return { events: [] };
        return {
          events: [
            { type: 'breakouts.assigned', participantId: p.id, roomId: cmd.roomId },
            // Out of the room they are in: they follow to the new one.
            ...(now && now !== cmd.roomId
              ? [{ type: 'breakouts.exited' as const, participantId: p.id, roomId: now }]
              : []),
          ],
        };
      },

      'breakouts.broadcast': ({ state }, cmd) => {
        running(state);
        return { events: [{ type: 'breakouts.message-sent', text: cmd.text }] };
      },

      'breakouts.capture': ({ state }) => {
        running(state);
        return { events: [{ type: 'breakouts.capture-requested' }] };
      },

      'breakouts.end': ({ state }) => {
        const b = running(state);
        return { events: [{ type: 'breakouts.ended', reason: 'moderator', capture: b.capture, language: b.language }] };
      },
    };
  }
}

/** Breakout rooms are opened from the main room only. */
function mainMeeting(state: MeetingState) {
  if (state.breakoutOf) {
    throw new CommandError('forbidden', 'A breakout room cannot have breakout rooms: open them from the main room');
  }
}

function running(state: MeetingState) {
  mainMeeting(state);
  if (!state.breakouts) throw new CommandError('not_found', 'No breakout rooms are open');
  return state.breakouts;
}
