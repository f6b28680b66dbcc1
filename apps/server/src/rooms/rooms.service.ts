import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AudioMode, CreateRoomResponse, JoinInfo, JoinResponse } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';
import { SessionsService } from '../sessions/sessions.service';
import { hashAccessCode, looksLikeAccessCode, newAccessCode } from './access-code';
import { RoomsRepository } from './rooms.repository';

/**
 * Creating rooms and joining them by access code. The web UI's REST API calls this today; the
 * BigBlueButton-compatible API will call the same methods.
 */
@Injectable()
export class RoomsService implements OnModuleInit {
  constructor(
    private readonly repo: RoomsRepository,
    private readonly meetings: MeetingsService,
    private readonly sessions: SessionsService,
  ) {}

  onModuleInit() {
    this.meetings.onEvents(async (meetingId, events, state) => {
      const ended = events.find((e) => e.event.type === 'meeting.ended');
      if (ended?.event.type === 'meeting.ended' && ended.event.roomClosed) {
        const { roomId } = await this.meetings.state(meetingId).catch(() => ({ roomId: null }));
        if (roomId) await this.repo.close(roomId, new Date(state.endedAt ?? ended.at));
      }
    });
  }

  async create(name: string, now = new Date()): Promise<CreateRoomResponse> {
    const moderatorCode = newAccessCode();
    const viewerCode = newAccessCode();
    const id = randomUUID();
    await this.repo.create({
      id,
      name,
      moderatorCodeHash: hashAccessCode(moderatorCode),
      viewerCodeHash: hashAccessCode(viewerCode),
      createdAt: now,
    });
    return { roomId: id, name, moderatorCode, viewerCode };
  }

  async describe(code: string): Promise<JoinInfo> {
    const { room, role } = await this.open(code);
    return { roomName: room.name, role };
  }

  async join(
    code: string,
    name: string,
    audioMode: AudioMode,
    device: string,
    now = new Date(),
  ): Promise<JoinResponse> {
    const { room, role } = await this.open(code);
    const meetingId = await this.meetings.ensureRunning(room, now);
    const participantId = randomUUID();
    await this.meetings.decide(
      meetingId,
      (state) => {
        if (state.banned.devices.includes(device)) {
          throw new CommandError('banned', 'A moderator has removed you from this meeting');
        }
        return {
          items: [
            {
              actor: participantId,
              event: { type: 'participant.joined', participantId, name, role, audioMode, device },
            },
            // As in BigBlueButton, the first moderator in takes the presenter role if nobody has it.
            ...(role === 'moderator' && !state.presenterId
              ? [{ actor: participantId, event: { type: 'presenter.changed' as const, participantId } }]
              : []),
          ],
          result: undefined,
        };
      },
      now,
    );
    return { meetingId, participantId, ...this.sessions.issue(participantId, meetingId, now.getTime()) };
  }

  private async open(code: string) {
    const found = looksLikeAccessCode(code) ? await this.repo.findByCodeHash(hashAccessCode(code)) : null;
    if (!found) throw new CommandError('invalid_code', 'This link is not valid');
    if (found.room.closedAt) throw new CommandError('room_closed', 'This room is closed');
    return found;
  }
}
