import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { Deadlines } from '../meetings/deadlines';
import { warningAt } from '../meetings/duration';

/**
 * Ends meetings at their maximum duration, with a warning before. The end is in the state
 * (`endsAt`, from the settings), so the deadlines helper arms it again after a restart.
 */
@Injectable()
export class DurationService implements OnModuleInit {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly deadlines: Deadlines,
  ) {}

  onModuleInit() {
    const minuteMs = this.runtime.config.minuteMs;
    this.deadlines.define({
      name: 'duration',
      due: (state) => {
        if (!state.endsAt) return [];
        const end = { key: `end@${state.endsAt}`, at: Date.parse(state.endsAt) };
        if (state.endingSoon) return [end];
        return [{ key: `warning@${state.endsAt}`, at: warningAt(state.startedAt, state.endsAt, minuteMs) }, end];
      },
      fire: (state, key) =>
        key.startsWith('warning@')
          ? [{ type: 'meeting.ending-soon', endsAt: state.endsAt! }]
          : [{ type: 'meeting.ended', roomClosed: false, reason: 'duration' }],
    });
  }
}
