import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AccessToken, RoomServiceClient, TrackSource, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import {
  publishableSources,
  type MediaSource,
  type MediaToken,
  type MeetingState,
  type Participant,
} from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { logger } from '../logging/logger';
import { MeetingsService } from '../meetings/meetings.service';

const SOURCE: Record<MediaSource, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

/** One LiveKit room per meeting, named by the meeting id; identities are participant ids. */
export function grantFor(
  meetingId: string,
  p: Pick<Participant, 'id' | 'role' | 'audioMode'>,
  state: Pick<MeetingState, 'presenterId' | 'locks'>,
) {
  return {
    roomJoin: true,
    room: meetingId,
    canSubscribe: true,
    canPublish: true,
    // Chat and other data go through the Estrade server, never peer to peer.
    canPublishData: false,
    canUpdateOwnMetadata: false,
    canPublishSources: publishableSources(
      { id: p.id, role: p.role, presenter: state.presenterId === p.id, audioMode: p.audioMode },
      state.locks,
    ).map((s) => SOURCE[s]),
  };
}

@Injectable()
export class LivekitService implements OnModuleInit {
  private readonly rooms: RoomServiceClient;
  private readonly webhooks: WebhookReceiver;

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly meetings: MeetingsService,
  ) {
    const lk = runtime.livekit;
    this.rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
    this.webhooks = new WebhookReceiver(lk.apiKey, lk.apiSecret);
  }

  onModuleInit() {
    // Media follows the log: every change of role or audio mode re-permissions the participant,
    // so the media server enforces what the permission table says.
    this.meetings.onEvents(async (meetingId, events, state) => {
      for (const { event } of events) {
        switch (event.type) {
          case 'participant.role-changed':
          case 'participant.audio-mode-changed': {
            const p = state.participants[event.participantId];
            if (p) await this.updatePermissions(meetingId, p, state);
            break;
          }
          case 'presenter.changed':
          case 'locks.changed':
            // Grants depend on both: re-permission everyone present (the webhook saying they
            // reached LiveKit may still be on its way; a 404 for those not there is ignored).
            for (const p of Object.values(state.participants)) {
              if (p.present) await this.updatePermissions(meetingId, p, state);
            }
            break;
          case 'participant.muted':
            await this.muteMicrophone(meetingId, event.participantId);
            break;
          case 'participant.status-changed':
            // Stepping away mutes the microphone, as in BigBlueButton.
            if (event.status === 'away') await this.muteMicrophone(meetingId, event.participantId);
            break;
          case 'meeting.muted-all':
            await Promise.all(event.participantIds.map((id) => this.muteMicrophone(meetingId, id)));
            break;
          case 'participant.left':
            await this.ignoreMissing(this.rooms.removeParticipant(meetingId, event.participantId));
            break;
          case 'meeting.ended':
            await this.ignoreMissing(this.rooms.deleteRoom(meetingId));
            break;
        }
      }
    });
  }

  async mintToken(meetingId: string, p: Participant, state: MeetingState): Promise<MediaToken> {
    const at = new AccessToken(this.runtime.livekit.apiKey, this.runtime.livekit.apiSecret, {
      identity: p.id,
      name: p.name,
      ttl: '10m',
      metadata: JSON.stringify({ role: p.role }),
    });
    at.addGrant(grantFor(meetingId, p, state));
    return { url: this.runtime.livekit.publicUrl, token: await at.toJwt() };
  }

  async updatePermissions(meetingId: string, p: Participant, state: MeetingState): Promise<void> {
    // LiveKit replaces permissions as a whole, so the full set is sent every time.
    const { canPublishSources, canSubscribe, canPublish, canPublishData, canUpdateOwnMetadata } = grantFor(
      meetingId,
      p,
      state,
    );
    await this.ignoreMissing(
      this.rooms.updateParticipant(meetingId, p.id, {
        permission: {
          canPublishSources,
          canSubscribe,
          canPublish,
          canPublishData,
          canUpdateMetadata: canUpdateOwnMetadata,
        },
      }),
    );
  }

  /** Mutes the participant's published microphone in LiveKit; they may unmute unless locked. */
  private async muteMicrophone(meetingId: string, participantId: string): Promise<void> {
    let info;
    try {
      info = await this.rooms.getParticipant(meetingId, participantId);
    } catch {
      return; // not connected to media: nothing to mute
    }
    for (const track of info.tracks) {
      if (track.source === TrackSource.MICROPHONE && !track.muted) {
        await this.ignoreMissing(this.rooms.mutePublishedTrack(meetingId, participantId, track.sid, true));
      }
    }
  }

  receiveWebhook(body: string, auth: string | undefined): Promise<WebhookEvent> {
    return this.webhooks.receive(body, auth);
  }

  private async ignoreMissing(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      // Not (or no longer) connected to media: nothing to change there.
      const status = (err as { status?: number }).status;
      if (status === 404) return;
      logger.warn({ err: String(err) }, 'LiveKit call failed');
    }
  }
}
