import { Controller, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { ParticipantId } from '@estrade/protocol';
import { MeetingsService } from '../meetings/meetings.service';
import { LivekitService } from './livekit.service';

/** LiveKit tells us who connected to and left the media session; the log records it. */
@Controller('api/livekit')
export class LivekitWebhookController {
  constructor(
    private readonly livekit: LivekitService,
    private readonly meetings: MeetingsService,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  async webhook(@Req() req: Request): Promise<{ ok: true }> {
    const body = typeof req.body === 'string' ? req.body : '';
    const event = await this.livekit.receiveWebhook(body, req.headers.authorization).catch(() => {
      throw new UnauthorizedException({ code: 'unauthenticated', message: 'Invalid webhook signature' });
    });
    const connected = event.event === 'participant_joined' ? true : event.event === 'participant_left' ? false : null;
    const meetingId = event.room?.name;
    const participantId = event.participant?.identity;
    if (connected === null || !meetingId || !ParticipantId.safeParse(participantId).success) return { ok: true };
    await this.meetings
      .decide(meetingId, (state) => {
        const p = state.participants[participantId!];
        const changed = p && !state.endedAt && p.inMedia !== connected && (p.present || !connected);
        return {
          items: changed
            ? [
                {
                  actor: null,
                  event: { type: 'participant.media-changed' as const, participantId: participantId!, connected },
                },
              ]
            : [],
          result: undefined,
        };
      })
      .catch(() => undefined); // an unknown or ended meeting: nothing to record
    return { ok: true };
  }
}
