import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { logger } from '../logging/logger';
import { MeetingsService } from '../meetings/meetings.service';

/**
 * Who is connected. A participant whose last connection drops stays present for a grace period
 * (a page reload, a flaky network); after it, `participant.left` is logged. A returning
 * participant whose presence had lapsed is logged as joined again, with the same identity.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly connections = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly meetings: MeetingsService,
  ) {}

  onModuleInit() {
    this.meetings.onEvents((meetingId, events) => {
      for (const { event } of events) {
        // Joined over HTTP: the socket has the grace period to arrive.
        if (event.type === 'participant.joined' && !this.connections.get(key(meetingId, event.participantId))) {
          this.startGrace(meetingId, event.participantId);
        }
      }
    });
  }

  /** After a restart nobody is connected yet: everyone present gets the grace period to come back. */
  async onApplicationBootstrap() {
    for (const meetingId of await this.meetings.runningMeetingIds()) {
      const { state } = await this.meetings.state(meetingId);
      for (const p of Object.values(state.participants)) if (p.present) this.startGrace(meetingId, p.id);
    }
  }

  onModuleDestroy() {
    for (const t of this.timers.values()) clearTimeout(t);
  }

  async connected(meetingId: string, participantId: string): Promise<void> {
    const k = key(meetingId, participantId);
    this.connections.set(k, (this.connections.get(k) ?? 0) + 1);
    this.clearGrace(k);
    await this.meetings.decide(meetingId, (state) => {
      const p = state.participants[participantId];
      if (!p || p.present) return { items: [], result: undefined };
      return {
        items: [
          {
            actor: participantId,
            event: {
              type: 'participant.joined' as const,
              participantId,
              name: p.name,
              role: p.role,
              audioMode: p.audioMode,
            },
          },
        ],
        result: undefined,
      };
    });
  }

  disconnected(meetingId: string, participantId: string) {
    const k = key(meetingId, participantId);
    const n = (this.connections.get(k) ?? 1) - 1;
    if (n > 0) return void this.connections.set(k, n);
    this.connections.delete(k);
    this.startGrace(meetingId, participantId);
  }

  private startGrace(meetingId: string, participantId: string) {
    const k = key(meetingId, participantId);
    this.clearGrace(k);
    const timer = setTimeout(() => {
      this.timers.delete(k);
      if (this.connections.get(k)) return;
      this.meetings
        .decide(meetingId, (state) => {
          const p = state.participants[participantId];
          if (!p?.present || state.endedAt) return { items: [], result: undefined };
          return {
            items: [
              {
                actor: null,
                event: { type: 'participant.left' as const, participantId, reason: 'disconnected' as const },
              },
            ],
            result: undefined,
          };
        })
        .catch((err) => logger.warn({ err: String(err), meetingId, participantId }, 'could not record departure'));
    }, this.runtime.config.reconnectGraceMs);
    timer.unref();
    this.timers.set(k, timer);
  }

  private clearGrace(k: string) {
    const t = this.timers.get(k);
    if (t) clearTimeout(t);
    this.timers.delete(k);
  }
}

const key = (meetingId: string, participantId: string) => `${meetingId}/${participantId}`;
