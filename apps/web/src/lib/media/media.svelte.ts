import type * as LiveKit from 'livekit-client';
import type { Participant as LkParticipant, Room, TrackPublication } from 'livekit-client';
import type { AudioMode, MediaToken, MeetingState } from '@estrade/protocol';
import { loadSession, saveSession } from '../session/session';
import { preferredMicrophone } from './level';

/** The most a remote camera is received at: low saves bandwidth on a weak connection. */
export type ReceiveQuality = 'low' | 'high';

export type MediaStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface Tile {
  id: string;
  name: string;
  local: boolean;
  camera: TrackPublication | undefined;
  micMuted: boolean;
  speaking: boolean;
}

/** Under the "moderators' cameras only" lock a viewer sees the moderators' cameras and their own. */
export function visibleTiles(tiles: Tile[], state: MeetingState, you: string): Tile[] {
  if (!state.locks.onlyModeratorCameras || state.participants[you]?.role === 'moderator') return tiles;
  return tiles.filter((x) => x.local || state.participants[x.id]?.role === 'moderator');
}

/**
 * LiveKit's client is loaded when the classroom connects to media, not with the page: it is a
 * large part of the app, and the classroom shows (snapshot, chat, slides) before media is up.
 */
let livekit: Promise<typeof LiveKit> | null = null;
export const loadLiveKit = () => (livekit ??= import('livekit-client'));

/**
 * The participant's LiveKit session. The Estrade server decides what may be published (the
 * token's grant); this class only asks LiveKit for it and mirrors the room for the UI.
 */
export class Media {
  status = $state<MediaStatus>('idle');
  error = $state('');
  /** Bumped on every room change: Svelte re-reads the LiveKit objects, which are not reactive. */
  private version = $state(0);
  /** Others' cameras are received (a participant may turn them all off to save bandwidth). */
  othersVideo = $state(true);
  quality = $state<ReceiveQuality>('high');
  /** Sound only: no camera sent, no camera or screen received. */
  audioOnly = $state(false);
  private hiddenCameras = new Set<string>();
  /** The LiveKit room, once the client is loaded (null before `connect`). */
  room = $state.raw<Room | null>(null);
  /** The LiveKit client module, loaded with the room. */
  lk: typeof LiveKit | null = null;

  /** Loads LiveKit and makes the room, once. */
  private async open(): Promise<Room> {
    if (this.room) return this.room;
    const lk = await loadLiveKit();
    const { RoomEvent, ConnectionState } = lk;
    // Adaptive stream receives each camera at the size of the elements it is attached to, and
    // pauses it when none is visible; dynacast stops sending simulcast layers nobody receives.
    const room = new lk.Room({
      adaptiveStream: true,
      dynacast: true,
      publishDefaults: { simulcast: true, videoSimulcastLayers: [lk.VideoPresets.h180, lk.VideoPresets.h360] },
    });
    const bump = () => this.version++;
    for (const ev of [
      RoomEvent.ParticipantConnected,
      RoomEvent.ParticipantDisconnected,
      RoomEvent.TrackSubscribed,
      RoomEvent.TrackUnsubscribed,
      RoomEvent.TrackPublished,
      RoomEvent.TrackUnpublished,
      RoomEvent.TrackMuted,
      RoomEvent.TrackUnmuted,
      RoomEvent.LocalTrackPublished,
      RoomEvent.LocalTrackUnpublished,
      RoomEvent.ActiveSpeakersChanged,
      RoomEvent.ParticipantPermissionsChanged,
    ] as const) {
      room.on(ev, bump);
    }
    room.on(RoomEvent.TrackPublished, () => this.applyReceiving());
    room.on(RoomEvent.ConnectionStateChanged, (s) => {
      this.status =
        s === ConnectionState.Connected
          ? 'connected'
          : s === ConnectionState.Reconnecting
            ? 'reconnecting'
            : this.status;
    });
    this.lk = lk;
    this.room = room;
    return room;
  }

  /** Bumped by `leave`: a connection still on its way when the person left is not reported. */
  private generation = 0;

  /**
   * Connects and publishes; `joinMuted` publishes the microphone muted (the meeting's setting).
   * "Joining audio" shows until the server has granted our rights and our microphone is out.
   */
  async connect(token: MediaToken, audioMode: AudioMode, joinMuted = false) {
    this.status = 'connecting';
    const generation = this.generation;
    try {
      const room = await this.open();
      await room.connect(token.url, token.token);
      await this.granted(room);
      // Cameras start only by the person's choice on the join page (the LiveKit room is the meeting).
      const chosen = loadSession(room.name);
      if (chosen?.camera) {
        const camera = chosen.cameraId ? { deviceId: chosen.cameraId } : undefined;
        await room.localParticipant.setCameraEnabled(true, camera).catch(() => undefined);
      }
      if (audioMode === 'microphone') {
        const deviceId = preferredMicrophone();
        await room.localParticipant.setMicrophoneEnabled(true, deviceId ? { deviceId } : undefined);
        if (joinMuted) await room.localParticipant.setMicrophoneEnabled(false);
      }
      // Joined once what we publish is out: the controls then act on tracks that exist.
      if (generation === this.generation) this.status = 'connected';
    } catch (err) {
      if (generation !== this.generation) return;
      this.status = 'failed';
      this.error = err instanceof Error ? err.message : String(err);
    }
    this.version++;
  }

  get tiles(): Tile[] {
    void this.version;
    const { room, lk } = this;
    if (!room || !lk) return [];
    const { Source } = lk.Track;
    const all: LkParticipant[] = [room.localParticipant, ...room.remoteParticipants.values()];
    return all.map((p) => ({
      id: p.identity,
      name: p.name || p.identity,
      local: p === room.localParticipant,
      camera: p.getTrackPublication(Source.Camera),
      micMuted: !p.getTrackPublication(Source.Microphone) || !!p.getTrackPublication(Source.Microphone)?.isMuted,
      speaking: p.isSpeaking,
    }));
  }

  /** Identities whose microphone is off or absent. */
  get micMuted(): Set<string> {
    return new Set(this.tiles.filter((x) => x.micMuted).map((x) => x.id));
  }

  /** Identities whose camera is on. */
  get camerasOn(): Set<string> {
    return new Set(this.tiles.filter((x) => x.camera && !x.camera.isMuted).map((x) => x.id));
  }

  /** The screen being shared, if any: at most one, the presenter's. */
  get screenShare(): { participantId: string; name: string; publication: TrackPublication } | null {
    void this.version;
    const { room, lk } = this;
    if (!room || !lk) return null;
    const all: LkParticipant[] = [room.localParticipant, ...room.remoteParticipants.values()];
    for (const p of all) {
      const publication = p.getTrackPublication(lk.Track.Source.ScreenShare);
      if (publication?.track) return { participantId: p.identity, name: p.name || p.identity, publication };
    }
    return null;
  }

  get screenShareOn(): boolean {
    void this.version;
    return !!this.room?.localParticipant.isScreenShareEnabled;
  }

  /** Shares a screen, window or tab, with its audio when the browser offers it. */
  async setScreenShare(on: boolean) {
    // Becoming presenter re-permissions us in LiveKit a moment after the event arrives.
    if (!this.room) return;
    if (on) await this.waitForPermission(3);
    return this.room.localParticipant
      .setScreenShareEnabled(on, { audio: true, selfBrowserSurface: 'exclude' })
      .finally(() => this.version++);
  }

  /** Identities of participants speaking right now. */
  get speaking(): Set<string> {
    void this.version;
    return new Set(this.room?.activeSpeakers.map((p) => p.identity));
  }

  /** Stops receiving the cameras of these participants (and receives all others). */
  subscribeCameras(hidden: Set<string>) {
    this.hiddenCameras = hidden;
    this.applyReceiving();
  }

  setOthersVideo(on: boolean) {
    this.othersVideo = on;
    this.applyReceiving();
  }

  setQuality(quality: ReceiveQuality) {
    this.quality = quality;
    this.applyReceiving();
  }

  /** Sound only: stops our camera and stops receiving cameras and screens. */
  async setAudioOnly(on: boolean) {
    this.audioOnly = on;
    this.applyReceiving();
    if (on && this.cameraOn) await this.setCamera(false);
  }

  /** Applies the receiving choices to every remote camera and screen (again when one appears). */
  private applyReceiving() {
    const { room, lk } = this;
    if (!room || !lk) return;
    const quality = this.quality === 'low' ? lk.VideoQuality.LOW : lk.VideoQuality.HIGH;
    for (const p of room.remoteParticipants.values()) {
      const camera = p.getTrackPublication(lk.Track.Source.Camera);
      const wanted = this.othersVideo && !this.audioOnly && !this.hiddenCameras.has(p.identity);
      camera?.setSubscribed(wanted);
      if (wanted) camera?.setVideoQuality(quality);
      p.getTrackPublication(lk.Track.Source.ScreenShare)?.setSubscribed(!this.audioOnly);
    }
  }

  get cameraOn(): boolean {
    void this.version;
    return !!this.room?.localParticipant.isCameraEnabled;
  }

  get micOn(): boolean {
    void this.version;
    return !!this.room?.localParticipant.isMicrophoneEnabled;
  }

  async setCamera(on: boolean) {
    const room = this.room;
    if (!room) return;
    await room.localParticipant.setCameraEnabled(on).finally(() => this.version++);
    // A reload keeps the person's last choice, not the one made on the join page.
    const session = loadSession(room.name);
    if (session) saveSession({ ...session, camera: on });
  }

  async setMic(on: boolean) {
    await this.room?.localParticipant.setMicrophoneEnabled(on).finally(() => this.version++);
  }

  /**
   * After the server changed our audio mode: publish or drop the microphone. The new grant may
   * reach LiveKit a moment after the event reaches us, so publishing waits for it.
   */
  async applyAudioMode(mode: AudioMode) {
    const { room, lk } = this;
    if (!room || !lk) return;
    if (mode === 'listen-only') {
      const pub = room.localParticipant.getTrackPublication(lk.Track.Source.Microphone);
      if (pub?.track) await room.localParticipant.unpublishTrack(pub.track);
      this.version++;
      return;
    }
    // TrackSource.MICROPHONE is 2 in LiveKit's protocol.
    await this.waitForPermission(2);
    await this.setMic(true);
  }

  /**
   * The media token carries no rights: the server sends them once LiveKit has told it we are
   * connected and it has checked we are in the meeting. Everyone present may listen, so being
   * allowed to is the sign. The server's reconciliation sends them if that message was lost.
   */
  private granted(room: Room, timeoutMs = 20_000): Promise<void> {
    const { RoomEvent } = this.lk!;
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        room.off(RoomEvent.ParticipantPermissionsChanged, check);
        room.off(RoomEvent.Disconnected, gone);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (room.localParticipant.permissions?.canSubscribe) done();
      };
      const gone = () => done(new Error('disconnected'));
      const timer = setTimeout(() => done(new Error('no answer from the server')), timeoutMs);
      room.on(RoomEvent.ParticipantPermissionsChanged, check);
      room.on(RoomEvent.Disconnected, gone);
      check();
    });
  }

  /** Waits (up to 5 s) until LiveKit lets us publish this source (TrackSource number). */
  private async waitForPermission(source: number) {
    const allowed = () => {
      const p = this.room?.localParticipant.permissions;
      // With canPublish, an empty list means any source (the server never sends one).
      return !!p?.canPublish && (p.canPublishSources.length === 0 || p.canPublishSources.includes(source));
    };
    const deadline = Date.now() + 5000;
    while (!allowed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  async disconnect() {
    await this.room?.disconnect();
  }

  /**
   * Leaves the media room for a while (into a breakout room and back): disconnected, and the
   * next `connect` makes a new LiveKit room, so nothing of this one's tracks or events is left.
   */
  async leave() {
    this.generation++;
    const room = this.room;
    this.room = null;
    this.status = 'idle';
    this.error = '';
    await room?.disconnect();
    this.version++;
  }
}
