import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource as RtcTrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  VideoStream,
} from '@livekit/rtc-node';
import type { MediaToken } from '@estrade/protocol';
import type { Classroom, TestClient } from './classroom-kit';

/** The grant inside a LiveKit token (its payload is signed, not encrypted). */
export function grantIn(jwt: string | undefined): { canSubscribe?: boolean; canPublish?: boolean } {
  return jwt ? JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).video : {};
}

/**
 * Waits until Estrade has confirmed this LiveKit connection: the token it mints carries no rights,
 * and once it sends the real grant LiveKit hands the client a refreshed token carrying it.
 * Resolves with the milliseconds waited.
 */
export function granted(room: Room, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!grantIn(room.token).canSubscribe) return;
      clearTimeout(timer);
      room.off(RoomEvent.TokenRefreshed, check);
      resolve(Date.now() - start);
    };
    const timer = setTimeout(() => {
      room.off(RoomEvent.TokenRefreshed, check);
      reject(new Error(`no grant from the server within ${timeoutMs} ms`));
    }, timeoutMs);
    room.on(RoomEvent.TokenRefreshed, check);
    check();
  });
}

/**
 * A participant's media side, as a LiveKit bot holding the token Estrade minted for them;
 * ready once the server has granted it its rights. `timing`: how long connecting to LiveKit took,
 * and how much longer the grant did.
 */
export async function mediaBot(client: TestClient, opts: { autoSubscribe?: boolean } = {}) {
  const reply = await client.request('media.token');
  if (!reply.ok) throw new Error(`no media token: ${reply.code}`);
  const token = reply.result as MediaToken;
  const room = new Room();
  const connecting = Date.now();
  await room.connect(token.url, token.token, { autoSubscribe: opts.autoSubscribe ?? false, dynacast: false });
  const connectMs = Date.now() - connecting;
  const timing = { connectMs, grantMs: await granted(room) };
  const source = new AudioSource(48_000, 1);
  const publishMicrophone = async () => {
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    const options = new TrackPublishOptions({ source: RtcTrackSource.SOURCE_MICROPHONE });
    const pub = await acknowledged(room.localParticipant!.publishTrack(track, options));
    await source.captureFrame(new AudioFrame(new Int16Array(480), 48_000, 1, 480));
    return pub;
  };
  // A bot whose publication LiveKit refused may never finish disconnecting: do not wait forever.
  const close = () => Promise.race([room.disconnect(), new Promise<void>((r) => setTimeout(r, 3_000))]);
  return { room, token, publishMicrophone, close, timing };
}

/** The LiveKit source labels a malicious client may put on a track. */
export const LABEL = {
  camera: RtcTrackSource.SOURCE_CAMERA,
  microphone: RtcTrackSource.SOURCE_MICROPHONE,
  screen_share: RtcTrackSource.SOURCE_SCREENSHARE,
  screen_share_audio: RtcTrackSource.SOURCE_SCREENSHARE_AUDIO,
} as const;

/**
 * LiveKit does not answer a publication it refuses: the client only gives up at its own timeout
 * (about 10 s). An accepted one is acknowledged within a few hundred milliseconds, so one not
 * acknowledged within this window counts as refused; tests pair that with LiveKit's own list of
 * the participant's tracks and with what a listener heard.
 */
const ACKNOWLEDGED_WITHIN_MS = 4_000;

/** The publication, or a failure once LiveKit has let the window pass without acknowledging it. */
function acknowledged<T>(publishing: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const refused = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`LiveKit did not acknowledge the publication within ${ACKNOWLEDGED_WITHIN_MS} ms`)),
      ACKNOWLEDGED_WITHIN_MS,
    );
  });
  return Promise.race([publishing, refused]).finally(() => clearTimeout(timer));
}

/**
 * Publishes a track of any kind under any source label, as a client that ignores the web app
 * would, and keeps sending frames (a tone, or grey video) until stopped. Resolves with whether
 * LiveKit acknowledged the publication.
 */
export async function publishForged(room: Room, kind: 'audio' | 'video', label: keyof typeof LABEL) {
  let sending = true;
  let publishing: Promise<unknown>;
  if (kind === 'audio') {
    const source = new AudioSource(48_000, 1);
    const track = LocalAudioTrack.createAudioTrack(`forged-${label}`, source);
    publishing = room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source: LABEL[label] }));
    void (async () => {
      const tone = new Int16Array(480).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
      while (sending) {
        await source.captureFrame(new AudioFrame(tone, 48_000, 1, 480)).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
  } else {
    const source = new VideoSource(64, 64);
    const track = LocalVideoTrack.createVideoTrack(`forged-${label}`, source);
    publishing = room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source: LABEL[label] }));
    void (async () => {
      const frame = new VideoFrame(new Uint8Array(64 * 64 * 4).fill(128), 64, 64, VideoBufferType.RGBA);
      while (sending) {
        source.captureFrame(frame);
        await new Promise((r) => setTimeout(r, 33));
      }
    })();
  }
  const accepted = await acknowledged(publishing).then(
    () => true,
    () => false,
  );
  return { accepted, stop: () => void (sending = false) };
}

/**
 * A listener's side: subscribes to everything and counts the audio frames it receives from each
 * participant, so a test can prove nobody heard a forbidden track.
 */
export function countAudioFrames(room: Room) {
  const frames = new Map<string, number>();
  room.on(
    RoomEvent.TrackSubscribed,
    (track: RemoteTrack, _pub: RemoteTrackPublication, participant: RemoteParticipant) => {
      if (track.kind !== TrackKind.KIND_AUDIO) return;
      void (async () => {
        const reader = new AudioStream(track).getReader();
        while (!(await reader.read()).done)
          frames.set(participant.identity, (frames.get(participant.identity) ?? 0) + 1);
      })().catch(() => undefined);
    },
  );
  return { from: (identity: string) => frames.get(identity) ?? 0 };
}

/**
 * Counts what a room receives from each participant: audio frames, video frames and data
 * messages, so a test can prove that nothing at all came from someone.
 */
export function countReceived(room: Room) {
  const counts = new Map<string, { audio: number; video: number; data: number }>();
  const of = (identity: string) => {
    let c = counts.get(identity);
    if (!c) counts.set(identity, (c = { audio: 0, video: 0, data: 0 }));
    return c;
  };
  room.on(
    RoomEvent.TrackSubscribed,
    (track: RemoteTrack, _pub: RemoteTrackPublication, participant: RemoteParticipant) => {
      const kind = track.kind === TrackKind.KIND_AUDIO ? 'audio' : 'video';
      void (async () => {
        const reader = (kind === 'audio' ? new AudioStream(track) : new VideoStream(track)).getReader();
        while (!(await reader.read()).done) of(participant.identity)[kind]++;
      })().catch(() => undefined);
    },
  );
  room.on(RoomEvent.DataReceived, (_payload, participant) => {
    of(participant?.identity ?? '').data++;
  });
  return {
    from: (identity: string) => ({ ...of(identity) }),
    total: () => [...counts.values()].reduce((t, c) => t + c.audio + c.video + c.data, 0),
  };
}

/**
 * Publishes a microphone and a camera and keeps sending data messages, as a client that wants
 * to be seen and heard by everyone. Stops with `stop`.
 */
export async function publishEverything(room: Room) {
  let sending = true;
  void (async () => {
    while (sending) {
      await room.localParticipant
        ?.publishData(new TextEncoder().encode('hello'), { reliable: true })
        .catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const [audio, video] = await Promise.all([
    publishForged(room, 'audio', 'microphone'),
    publishForged(room, 'video', 'camera'),
  ]);
  return {
    accepted: { audio: audio.accepted, video: video.accepted },
    stop: () => {
      sending = false;
      audio.stop();
      video.stop();
    },
  };
}

export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A bot for this participant, closed with the classroom; publishing its microphone unless told not to. */
export async function botFor(classroom: Classroom, client: TestClient, publish = true) {
  const bot = await mediaBot(client);
  classroom.onClose(bot.close);
  if (publish) await bot.publishMicrophone();
  return bot;
}
