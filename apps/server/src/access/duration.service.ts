import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { logger } from '../logging/logger';
import { warningAt } from '../meetings/duration';
import { MeetingsService } from '../meetings/meetings.service';

/**
 * Ends meetings at their maximum duration, with a warning before. Timers live in memory and are
 * re-armed from the log after a restart.
 */
@Injectable()
export class DurationService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly meetings: MeetingsService,
  ) {}

  onModuleInit() {
    this.meetings.onEvents((meetingId, events, state) => {
      if (events.some((e) => e.event.type === 'settings.changed'))
        this.arm(meetingId, state.startedAt, state.endsAt, state.endingSoon);
      if (state.endedAt) this.disarm(meetingId);
    });
  }

  async onApplicationBootstrap() {
    for (const meetingId of await this.meetings.runningMeetingIds()) {
      const { state } = await this.meetings.state(meetingId);
      this.arm(meetingId, state.startedAt, state.endsAt, state.endingSoon);
    }
  }

  onModuleDestroy() {
    for (const id of [...this.timers.keys()]) this.disarm(id);
  }

  private arm(meetingId: string, startedAt: string, end: string | null, warned: boolean) {
    this.disarm(meetingId);
    if (!end) return;
    const now = Date.now();
    const timers: NodeJS.Timeout[] = [];
    if (!warned) {
      const delay = Math.max(0, warningAt(startedAt, end, this.runtime.config.minuteMs) - now);
      timers.push(setTimeout(() => this.log(meetingId, { type: 'meeting.ending-soon', endsAt: end }), delay));
    }
    const delay = Math.max(0, Date.parse(end) - now);
    timers.push(
      setTimeout(() => this.log(meetingId, { type: 'meeting.ended', roomClosed: false, reason: 'duration' }), delay),
    );
    for (const t of timers) t.unref();
    this.timers.set(meetingId, timers);
  }

  private disarm(meetingId: string) {
    for (const t of this.timers.get(meetingId) ?? []) clearTimeout(t);
    this.timers.delete(meetingId);
  }

  private log(meetingId: string, event: Parameters<MeetingsService['append']>[1][number]['event']) {
    this.meetings
      .append(meetingId, [{ actor: null, event }])
      .catch((err) => logger.warn({ err: String(err), meetingId }, 'could not log the meeting duration event'));
  }
}
