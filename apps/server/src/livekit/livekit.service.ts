import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  AccessToken,
  RoomServiceClient,
  TrackSource,
  TrackType,
  WebhookReceiver,
  type ParticipantPermission,
  type TrackInfo,
  type WebhookEvent,
} from 'livekit-server-sdk';
import {
  awayInBreakout,
  forbiddenTrack,
  MeetingId,
  publishableSources,
  type MediaSource,
  type MediaToken,
  type MeetingState,
  type Participant,
} from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { KeyedQueue } from '../limits/keyed-queue';
import { logger } from '../logging/logger';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';

const SOURCE: Record<MediaSource, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

/**
 * A media token only opens the door: it carries no rights, which come from the server once it
 * has confirmed the connection (see `mintToken`). Once connected, LiveKit itself sends the
 * client refreshed tokens (10 minutes each), which is why who may stay is checked on every join.
 */
const MEDIA_TOKEN_TTL = '60s';
/** How long clients have to leave the media room of an ended meeting before it is deleted. */
const ROOM_CLOSE_GRACE_MS = 1500;
/** How long someone who left (or was removed) has to leave LiveKit, rightless, before being put out. */
const LEAVE_GRACE_MS = 500;

const SOURCE_NAME = new Map<TrackSource, MediaSource>(
  Object.entries(SOURCE).map(([name, source]) => [source, name as MediaSource]),
);

/** A LiveKit track in the permission table's words. */
export function describeTrack(track: Pick<TrackInfo, 'type' | 'source'>) {
  return {
    kind:
      track.type === TrackType.AUDIO
        ? ('audio' as const)
        : track.type === TrackType.VIDEO
          ? ('video' as const)
          : ('other' as const),
    source: SOURCE_NAME.get(track.source) ?? ('unknown' as const),
  };
}

/**
 * Whether Estrade counts this identity in this meeting's media now: the only ones LiveKit may
 * keep. Someone whose media belongs to a breakout room is not in the main room's.
 */
function isPresent(state: MeetingState, participantId: string): boolean {
  const p = state.participants[participantId];
  return (
    !!p?.present &&
    !state.endedAt &&
    !state.banned.participants.includes(participantId) &&
    !awayInBreakout(state, participantId)
  );
}

function sourcesOf(
  p: Pick<Participant, 'id' | 'role' | 'audioMode'>,
  state: Pick<MeetingState, 'presenterId' | 'locks'>,
) {
  return publishableSources(
    { id: p.id, role: p.role, presenter: state.presenterId === p.id, audioMode: p.audioMode },
    state.locks,
  );
}

/** What this participant may publish now: nothing unless present. */
function allowedSources(state: MeetingState, participantId: string): MediaSource[] {
  const p = state.participants[participantId];
  return p && isPresent(state, participantId) ? sourcesOf(p, state) : [];
}

/**
 * One LiveKit room per meeting (breakout rooms included), named by the meeting id; identities
 * are participant ids. `listens`: false for someone not present here (gone, banned, or whose
 * media is in a breakout room).
 */
export function grantFor(meetingId: string, sources: MediaSource[], listens: boolean) {
  return {
    roomJoin: true,
    room: meetingId,
    canSubscribe: listens,
    // LiveKit reads an empty source list as "any source": with nothing allowed, no publishing at all.
    canPublish: sources.length > 0,
    // Chat and other data go through the Estrade server, never peer to peer.
    canPublishData: false,
    canUpdateOwnMetadata: false,
    canPublishSources: sources.map((s) => SOURCE[s]),
  };
}

@Injectable()
export class LivekitService implements OnModuleInit, OnModuleDestroy {
  private readonly rooms: RoomServiceClient;
  private readonly webhooks: WebhookReceiver;
  private reconciler: NodeJS.Timeout | null = null;
  private readonly permissionTurns = new KeyedQueue(1000);
  private stopped = false;

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly meetings: MeetingsService,
  ) {
    const lk = runtime.livekit;
    this.rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
    this.webhooks = new WebhookReceiver(lk.apiKey, lk.apiSecret);
  }

  onModuleInit() {
    this.startReconciling();
    // Media follows the log: every change of role or audio mode re-permissions the participant,
    // so the media server enforces what the permission table says.
    this.meetings.onEvents(async (meetingId, events, state) => {
      for (const { event } of events) {
        switch (event.type) {
          case 'participant.role-changed':
          case 'participant.audio-mode-changed': {
            const p = state.participants[event.participantId];
            if (p) await this.updatePermissions(meetingId, p.id);
            break;
          }
          case 'presenter.changed':
          case 'locks.changed':
            // Grants depend on both: re-permission everyone present (the webhook saying they
            // reached LiveKit may still be on its way; a 404 for those not there is ignored).
            for (const p of Object.values(state.participants)) {
              if (p.present) await this.updatePermissions(meetingId, p.id);
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
          case 'participant.banned': {
            // Their rights go at once (someone gone holds none: no sound, no image, either way);
            // the connection itself a moment later. An honest client leaves by itself when it
            // hears of it, and closing LiveKit under a client that is leaving cuts its signalling
            // and its subscribers' negotiations mid-way; one that stays is put out then.
            await this.updatePermissions(meetingId, event.participantId);
            const { participantId } = event;
            const putOut = setTimeout(
              () => void this.ignoreMissing(this.rooms.removeParticipant(meetingId, participantId)),
              LEAVE_GRACE_MS,
            );
            putOut.unref();
            break;
          }
          case 'breakouts.started':
          case 'breakouts.ended':
            for (const p of Object.values(state.participants)) {
              if (p.present) await this.breakoutMoved(meetingId, p.id, state);
            }
            break;
          case 'breakouts.assigned':
          case 'breakouts.entered':
          case 'breakouts.exited':
            await this.breakoutMoved(meetingId, event.participantId, state);
            break;
          case 'meeting.ended': {
            // Clients leave the media room themselves when they hear of the end; closing it
            // under them would cut their connection mid-read. Whoever is left is closed out
            // a moment later (the reconciler also deletes rooms of ended meetings).
            const close = setTimeout(
              () => void this.ignoreMissing(this.rooms.deleteRoom(meetingId)),
              ROOM_CLOSE_GRACE_MS,
            );
            close.unref();
            break;
          }
        }
      }
    });
  }

  /**
   * Someone's media moved to or from a breakout room: in the main room they get nothing while
   * away (and are put out of its LiveKit room: never two rooms at once), their grant when back.
   */
  private async breakoutMoved(meetingId: string, participantId: string, state: MeetingState) {
    await this.updatePermissions(meetingId, participantId);
    if (awayInBreakout(state, participantId)) {
      await this.ignoreMissing(this.rooms.removeParticipant(meetingId, participantId));
    }
  }

  /** A breakout room's LiveKit room, made when the rooms open (closed with its meeting). */
  async openRoom(meetingId: string, emptyTimeoutSeconds: number): Promise<void> {
    await this.rooms.createRoom({ name: meetingId, emptyTimeout: emptyTimeoutSeconds });
  }

  onModuleDestroy() {
    this.stopped = true;
    if (this.reconciler) clearTimeout(this.reconciler);
  }

  /** Webhooks can be lost or late: now and then LiveKit's rooms are checked against the log. */
  private startReconciling() {
    const every = this.runtime.config.mediaReconcileMs;
    const tick = () => {
      this.reconcile()
        .catch((err) => logger.warn({ err: String(err) }, 'LiveKit reconciliation failed'))
        .finally(() => {
          if (this.stopped) return;
          this.reconciler = setTimeout(tick, every);
          this.reconciler.unref();
        });
    };
    this.reconciler = setTimeout(tick, every);
    this.reconciler.unref();
  }

  /** Everyone connected to LiveKit must be present in Estrade, with only tracks the rules allow. */
  async reconcile(): Promise<void> {
    for (const room of await this.rooms.listRooms()) {
      const current = await this.lookup(room.name);
      if (current === 'unavailable') continue;
      if (current === 'unknown' || current.state.endedAt) {
        // Not a meeting of ours, or one that has ended: nobody belongs there.
        await this.ignoreMissing(this.rooms.deleteRoom(room.name));
        continue;
      }
      for (const p of await this.rooms.listParticipants(room.name).catch(() => [])) {
        if (!(await this.admit(room.name, p.identity))) continue;
        // A lost participant_joined webhook would leave them without their rights.
        if (!this.holdsGrant(current.state, p.identity, p.permission)) {
          await this.updatePermissions(room.name, p.identity);
        }
        for (const track of p.tracks) await this.enforceTrack(room.name, p.identity, track);
      }
    }
  }

  /**
   * A LiveKit connection by someone Estrade does not count as present (removed, banned, gone,
   * or never there) is closed at once: a token they kept, or one LiveKit refreshed for them,
   * does not bring them back. Returns whether they may stay.
   */
  async admit(meetingId: string, identity: string): Promise<boolean> {
    const current = await this.lookup(meetingId);
    if (current === 'unavailable') return true;
    if (current !== 'unknown' && isPresent(current.state, identity)) return true;
    logger.warn({ meetingId, participantId: identity }, 'LiveKit connection by someone not in the meeting: removed');
    await this.ignoreMissing(this.rooms.removeParticipant(meetingId, identity));
    return false;
  }

  /**
   * Removes a published track the rules forbid, including one whose kind does not match its
   * source label (audio published as "camera"), which LiveKit's grant alone lets through.
   * LiveKit unpublishes tracks whose source a permission update takes away, so the source is
   * withdrawn for a moment and the participant's real grant then restored.
   */
  async enforceTrack(meetingId: string, identity: string, track: Pick<TrackInfo, 'sid' | 'type' | 'source'>) {
    const current = await this.lookup(meetingId);
    if (typeof current === 'string') return;
    const allowed = allowedSources(current.state, identity);
    const described = describeTrack(track);
    const reason = forbiddenTrack(described, allowed);
    if (!reason) return;
    logger.warn({ meetingId, participantId: identity, track: described, reason }, 'forbidden track removed');
    await this.inTurn(meetingId, identity, async () => {
      await this.setSources(
        meetingId,
        identity,
        allowed.filter((s) => SOURCE[s] !== track.source),
        current.state,
      );
      await this.sendCurrent(meetingId, identity);
    });
  }

  /** Whether LiveKit's permission for this participant is the one the log gives them now. */
  private holdsGrant(state: MeetingState, identity: string, held: ParticipantPermission | undefined): boolean {
    const want = this.permissionFor(state, identity, allowedSources(state, identity));
    return (
      !!held &&
      held.canSubscribe === want.canSubscribe &&
      held.canPublish === want.canPublish &&
      held.canPublishData === want.canPublishData &&
      held.canUpdateMetadata === want.canUpdateMetadata &&
      held.canPublishSources.join() === want.canPublishSources.join()
    );
  }

  /** The meeting's state; 'unknown' for no such meeting, 'unavailable' if it cannot be read now. */
  private lookup(meetingId: string): Promise<{ state: MeetingState } | 'unknown' | 'unavailable'> {
    if (!MeetingId.safeParse(meetingId).success) return Promise.resolve('unknown');
    return this.meetings
      .state(meetingId)
      .catch((err) => (err instanceof CommandError && err.code === 'not_found' ? 'unknown' : 'unavailable'));
  }

  /**
   * A token that lets its holder into the meeting's LiveKit room and nothing more: no publishing,
   * no listening, no data. Rights are sent once LiveKit's participant_joined webhook has told the
   * server of the connection and the server has checked the holder is in the meeting, so a token
   * kept by someone banned, removed or gone has nothing to give in the moment before they are
   * put out. (canPublish false is what forbids publishing: an empty source list means any.)
   * LiveKit's refreshed tokens, though, carry the rights held when they were issued, and it
   * cannot revoke them: one kept from a session that had its grant still opens a moment's window.
   */
  async mintToken(meetingId: string, p: Participant, state: MeetingState): Promise<MediaToken> {
    if (awayInBreakout(state, p.id)) {
      throw new CommandError('forbidden', 'Your sound and video are in your breakout room now');
    }
    const at = new AccessToken(this.runtime.livekit.apiKey, this.runtime.livekit.apiSecret, {
      identity: p.id,
      name: p.name,
      ttl: MEDIA_TOKEN_TTL,
      metadata: JSON.stringify({ role: p.role }),
    });
    at.addGrant(grantFor(meetingId, [], false));
    return { url: this.runtime.livekit.publicUrl, token: await at.toJwt() };
  }

  /**
   * Sends the participant's grant as the log says it is now. Permission changes of one
   * participant go out one after the other, each computed when its turn comes, so a late
   * webhook's update can never land after, and undo, a newer one.
   */
  updatePermissions(meetingId: string, participantId: string): Promise<void> {
    return this.inTurn(meetingId, participantId, () => this.sendCurrent(meetingId, participantId));
  }

  private async sendCurrent(meetingId: string, participantId: string) {
    const current = await this.lookup(meetingId);
    if (typeof current !== 'string')
      await this.setSources(meetingId, participantId, allowedSources(current.state, participantId), current.state);
  }

  private inTurn(meetingId: string, participantId: string, task: () => Promise<void>): Promise<void> {
    return this.permissionTurns.run(`${meetingId}/${participantId}`, task) ?? Promise.resolve();
  }

  /**
   * The permission LiveKit is given for these sources. Only someone present here listens: not
   * someone gone or banned, nor someone whose media is in a breakout room.
   */
  private permissionFor(state: MeetingState, identity: string, sources: MediaSource[]) {
    const { canPublishSources, canSubscribe, canPublish, canPublishData, canUpdateOwnMetadata } = grantFor(
      state.meetingId,
      sources,
      isPresent(state, identity),
    );
    return { canPublishSources, canSubscribe, canPublish, canPublishData, canUpdateMetadata: canUpdateOwnMetadata };
  }

  /** LiveKit replaces permissions as a whole, so the full set is sent every time. */
  private async setSources(meetingId: string, identity: string, sources: MediaSource[], state: MeetingState) {
    await this.ignoreMissing(
      this.rooms.updateParticipant(meetingId, identity, { permission: this.permissionFor(state, identity, sources) }),
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
