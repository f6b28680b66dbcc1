import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { CommandBus } from '../meetings/command-bus';
import { Deadlines } from '../meetings/deadlines';
import { MeetingsService } from '../meetings/meetings.service';

/**
 * Who is connected. A participant whose last connection drops stays present for a grace period
 * (a page reload, a flaky network); after it, `participant.left` is logged. A returning
 * participant whose presence had lapsed is logged as joined again, with the same identity.
 *
 * Connections live in the process that holds their sockets, so their count and the grace are
 * this process's (a deadline it sets itself); a reload within the grace logs nothing.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationBootstrap {
  /** Meeting → participant → open sockets in this process. */
  private readonly connections = new Map<string, Map<string, number>>();

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly meetings: MeetingsService,
    private readonly bus: CommandBus,
    private readonly deadlines: Deadlines,
  ) {}

  onModuleInit() {
    this.meetings.onEvents((meetingId, events, state) => {
      if (state.endedAt) return void this.connections.delete(meetingId);
      for (const { event } of events) {
        // Joined over HTTP: the socket has the grace period to arrive.
        if (event.type === 'participant.joined' && !this.count(meetingId, event.participantId)) {
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

  async connected(meetingId: string, participantId: string): Promise<void> {
    let sockets = this.connections.get(meetingId);
    if (!sockets) this.connections.set(meetingId, (sockets = new Map()));
    sockets.set(participantId, (sockets.get(participantId) ?? 0) + 1);
    this.deadlines.clear(meetingId, grace(participantId));
    // Still present (a reload, a blip within the grace): nothing to decide, so no turn of the
    // meeting's queue; a class reconnecting at once does not queue 1,000 empty decisions.
    if (await this.meetings.holds(meetingId, (state) => state.participants[participantId]?.present === true)) return;
    await this.bus.system(meetingId, (state) => {
      const p = state.participants[participantId];
      if (!p || p.present) return { events: [] };
      // Back after the grace: the same identity joins again, by their own doing.
      return {
        events: [
          {
            actor: participantId,
            event: { type: 'participant.joined', participantId, name: p.name, role: p.role, audioMode: p.audioMode },
          },
        ],
      };
    });
  }

  disconnected(meetingId: string, participantId: string) {
    const sockets = this.connections.get(meetingId);
    const n = (sockets?.get(participantId) ?? 1) - 1;
    if (n > 0) return void sockets?.set(participantId, n);
    sockets?.delete(participantId);
    if (sockets?.size === 0) this.connections.delete(meetingId);
    this.startGrace(meetingId, participantId);
  }

  private count(meetingId: string, participantId: string): number {
    return this.connections.get(meetingId)?.get(participantId) ?? 0;
  }

  private startGrace(meetingId: string, participantId: string) {
    this.deadlines.set(meetingId, grace(participantId), Date.now() + this.runtime.config.reconnectGraceMs, (state) => {
      const p = state.participants[participantId];
      if (!p?.present || this.count(meetingId, participantId)) return [];
      return [{ type: 'participant.left', participantId, reason: 'disconnected' }];
    });
  }
}

const grace = (participantId: string) => `grace/${participantId}`;
