import { Injectable, type OnModuleInit } from '@nestjs/common';
import { timerEndsAt, type timer } from '@estrade/protocol';
import type { SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { Deadlines } from '../meetings/deadlines';

/**
 * The class timer. Its times come from the log (each event's server time); a running
 * countdown's end is a deadline in the state, armed again after a restart.
 */
@Injectable()
export class TimerCommands implements OnModuleInit {
  constructor(private readonly deadlines: Deadlines) {}

  onModuleInit() {
    this.deadlines.define({
      name: 'timer',
      due: (state) => {
        const at = timerEndsAt(state.timer);
        return at === null ? [] : [{ key: `ends@${state.timer!.runningSince}`, at }];
      },
      fire: () => [{ type: 'timer.ended' }],
    });
  }

  handlers(): SliceHandlers<typeof timer> {
    return {
      'timer.start': (_ctx, cmd) => ({
        events: [{ type: 'timer.started', mode: cmd.mode, durationMs: cmd.durationMs ?? 0, sound: cmd.sound }],
      }),
      'timer.pause': ({ state }) => {
        if (!state.timer?.runningSince) throw new CommandError('not_found', 'No timer is running');
        return { events: [{ type: 'timer.paused' }] };
      },
      'timer.resume': ({ state }) => {
        const t = state.timer;
        if (!t || t.runningSince || t.over) throw new CommandError('not_found', 'No paused timer to resume');
        return { events: [{ type: 'timer.resumed' }] };
      },
      'timer.reset': ({ state }) => {
        if (!state.timer) throw new CommandError('not_found', 'No timer');
        return { events: [{ type: 'timer.reset' }] };
      },
      'timer.clear': ({ state }) => {
        if (!state.timer) throw new CommandError('not_found', 'No timer');
        return { events: [{ type: 'timer.cleared' }] };
      },
    };
  }
}
