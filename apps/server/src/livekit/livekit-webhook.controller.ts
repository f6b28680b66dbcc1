import { Controller, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { TrackSource } from 'livekit-server-sdk';
import { ParticipantId } from '@estrade/protocol';
import { CommandBus } from '../meetings/command-bus';
import { LivekitService } from './livekit.service';
import { Limit } from '../web/http-limit.guard';

/** LiveKit tells us who connected to and left the media session; the log records it. */
@Controller('api/livekit')
export class LivekitWebhookController {
  constructor(
    private readonly livekit: LivekitService,
    private readonly bus: CommandBus,
  ) {}

  /**
   * "Join muted": a viewer's first microphone is muted by the server too, so the setting holds
   * even for a client that does not honour it. They may unmute themselves afterwards.
   */
  private async muteOnJoin(meetingId: string, participantId: string) {
    await this.bus
      .system(meetingId, (state) => {
        const p = state.participants[participantId];
        const mute =
          p?.present &&
          p.role === 'viewer' &&
          state.settings?.joinMuted &&
          !state.endedAt &&
          !state.mutedOnJoin.includes(participantId);
        return { events: mute ? [{ type: 'participant.muted' as const, participantId, onJoin: true }] : [] };
      })
      .catch(() => undefined);
  }

  @Post('webhook')
  @Limit('webhook')
  @HttpCode(200)
  async webhook(@Req() req: Request): Promise<{ ok: true }> {
    const body = typeof req.body === 'string' ? req.body : '';
    const event = await this.livekit.receiveWebhook(body, req.headers.authorization).catch(() => {
      throw new UnauthorizedException({ code: 'unauthenticated', message: 'Invalid webhook signature' });
    });
    const meetingId = event.room?.name;
    const participantId = event.participant?.identity;
    if (!meetingId || !participantId) return { ok: true };
    // Rules first, before anything is recorded: an identity that is not ours, someone not
    // present, a forbidden track: LiveKit is told at once. Someone who may stay gets their
    // rights now (their token carries none), before the connection is recorded: they are
    // waiting for them to be heard.
    if (event.event === 'participant_joined') {
      if (!(await this.livekit.admit(meetingId, participantId))) return { ok: true };
      await this.livekit.updatePermissions(meetingId, participantId);
    }
    if (event.event === 'track_published' && event.track) {
      await this.livekit.enforceTrack(meetingId, participantId, event.track);
    }
    if (!ParticipantId.safeParse(participantId).success) return { ok: true };
    if (event.event === 'track_published' && event.track?.source === TrackSource.MICROPHONE) {
      await this.muteOnJoin(meetingId, participantId);
      return { ok: true };
    }
    const connected = event.event === 'participant_joined' ? true : event.event === 'participant_left' ? false : null;
    if (connected === null) return { ok: true };
    await this.bus
      .system(meetingId, (state) => {
        const p = state.participants[participantId];
        const changed = p && !state.endedAt && p.inMedia !== connected && (p.present || !connected);
        return { events: changed ? [{ type: 'participant.media-changed' as const, participantId, connected }] : [] };
      })
      .catch(() => undefined); // an unknown or ended meeting: nothing to record
    return { ok: true };
  }
}
