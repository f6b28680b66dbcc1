import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  Room,
  TrackPublishOptions,
  TrackSource as RtcTrackSource,
} from '@livekit/rtc-node';
import type { MediaToken } from '@estrade/protocol';
import type { Classroom, TestClient } from './classroom-kit';

/** A participant's media side, as a LiveKit bot holding the token Estrade minted for them. */
export async function mediaBot(client: TestClient) {
  const reply = await client.request('media.token');
  if (!reply.ok) throw new Error(`no media token: ${reply.code}`);
  const token = reply.result as MediaToken;
  const room = new Room();
  await room.connect(token.url, token.token, { autoSubscribe: false, dynacast: false });
  const source = new AudioSource(48_000, 1);
  const publishMicrophone = async () => {
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    const options = new TrackPublishOptions({ source: RtcTrackSource.SOURCE_MICROPHONE });
    const pub = await room.localParticipant!.publishTrack(track, options);
    await source.captureFrame(new AudioFrame(new Int16Array(480), 48_000, 1, 480));
    return pub;
  };
  // A bot whose publication LiveKit refused may never finish disconnecting: do not wait forever.
  const close = () => Promise.race([room.disconnect(), new Promise<void>((r) => setTimeout(r, 3_000))]);
  return { room, token, publishMicrophone, close };
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
