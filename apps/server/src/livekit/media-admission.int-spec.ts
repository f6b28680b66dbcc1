import { dispose, Room } from '@livekit/rtc-node';
import { TrackSource } from 'livekit-server-sdk';
import type { MediaToken } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';
import { countReceived, grantIn, mediaBot, publishEverything, until } from '../testing/media-bot';

/**
 * A media token carries no rights: LiveKit lets its holder in, but nothing is sent or received
 * until Estrade, told by LiveKit's webhook, has checked they are in the meeting and sent their
 * grant. So a token kept by someone banned, removed or gone opens no window at all.
 */
describe('media rights come only from the server, after it confirmed the participant', () => {
  const { server, classroom } = liveClassroom();
  afterAll(() => dispose());

  const inLivekit = async (c: TestClient) =>
    (await server.livekit().listParticipants(c.meetingId)).some((p) => p.identity === c.id);

  /** LiveKit's record of this participant's rights, read every few milliseconds until stopped. */
  function watchRights(c: TestClient) {
    const seen: { canSubscribe: boolean; canPublish: boolean; canPublishData: boolean }[] = [];
    let watching = true;
    const done = (async () => {
      while (watching) {
        const me = (await server.livekit().listParticipants(c.meetingId)).find((p) => p.identity === c.id);
        if (me?.permission) seen.push(me.permission);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    return {
      stop: async () => {
        watching = false;
        await done;
        return seen;
      },
    };
  }

  /** A teacher on camera and microphone, a student listening to everything, and Léo. */
  async function lesson() {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Martin');
    const listener = await classroom.join(room.viewerCode, 'Lina');
    const leo = await classroom.join(room.viewerCode, 'Léo');
    const teacherBot = await mediaBot(teacher);
    classroom.onClose(teacherBot.close);
    const teacherMedia = await publishEverything(teacherBot.room);
    const listenerBot = await mediaBot(listener, { autoSubscribe: true });
    classroom.onClose(listenerBot.close);
    const heard = countReceived(listenerBot.room);
    return { teacher, listener, leo, teacherMedia, heard };
  }

  const leaving = {
    banned: (teacher: TestClient, leo: TestClient) =>
      teacher.send({ type: 'participant.remove', participantId: leo.id, ban: true }),
    removed: (teacher: TestClient, leo: TestClient) =>
      teacher.send({ type: 'participant.remove', participantId: leo.id, ban: false }),
    left: (_teacher: TestClient, leo: TestClient) => leo.send({ type: 'participant.leave' }),
  };

  it.each(Object.keys(leaving) as (keyof typeof leaving)[])(
    'gives the token a %s student kept nothing: no frame or data either way, and out of LiveKit',
    async (how) => {
      const { teacher, leo, teacherMedia, heard } = await lesson();
      const token = ((await leo.request('media.token')) as { result: MediaToken }).result;
      expect(grantIn(token.token)).toMatchObject({ canSubscribe: false, canPublish: false, canPublishData: false });
      expect(await leaving[how](teacher, leo)).toEqual({ ok: true });

      // Back with the kept token, three times over, subscribing to everything and sending everything,
      // while LiveKit's own view of Léo's rights is read over and over.
      const rights = watchRights(leo);
      const received = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const again = new Room();
        classroom.onClose(() => Promise.race([again.disconnect(), new Promise<void>((r) => setTimeout(r, 3000))]));
        received.push(countReceived(again));
        const connected = await again.connect(token.url, token.token, { autoSubscribe: true, dynacast: false }).then(
          () => true,
          () => false,
        );
        if (!connected) continue;
        const sending = await publishEverything(again);
        expect(
          await until(
            () => inLivekit(leo),
            (v) => !v,
            2000,
          ),
        ).toBe(false);
        sending.stop();
      }
      await new Promise((r) => setTimeout(r, 1000));
      teacherMedia.stop();
      const seen = await rights.stop();
      expect(seen.filter((p) => p.canSubscribe || p.canPublish || p.canPublishData)).toEqual([]);

      expect(await inLivekit(leo)).toBe(false);
      expect(heard.from(leo.id)).toEqual({ audio: 0, video: 0, data: 0 });
      expect(received.map((r) => r.total())).toEqual([0, 0, 0]);
      // The listener did receive the teacher meanwhile: it would have heard Léo too.
      expect(heard.from(teacher.id).audio).toBeGreaterThan(0);
      expect(heard.from(teacher.id).video).toBeGreaterThan(0);
    },
  );

  it('grants a participant in the meeting their rights once connected, and media flows both ways', async () => {
    const { teacher, leo, teacherMedia, heard } = await lesson();
    const leoBot = await mediaBot(leo, { autoSubscribe: true });
    classroom.onClose(leoBot.close);
    const leoHeard = countReceived(leoBot.room);
    const leoMedia = await publishEverything(leoBot.room);
    expect(leoMedia.accepted).toEqual({ audio: true, video: true });
    const me = (await server.livekit().listParticipants(leo.meetingId)).find((p) => p.identity === leo.id);
    expect(me?.permission).toMatchObject({
      canSubscribe: true,
      canPublish: true,
      canPublishData: false,
      canUpdateMetadata: false,
      canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
    });
    await new Promise((r) => setTimeout(r, 2000));
    leoMedia.stop();
    teacherMedia.stop();
    expect(heard.from(leo.id).audio).toBeGreaterThan(0);
    expect(heard.from(leo.id).video).toBeGreaterThan(0);
    expect(leoHeard.from(teacher.id).audio).toBeGreaterThan(0);
    expect(leoHeard.from(teacher.id).video).toBeGreaterThan(0);
    // Data goes through the Estrade server, never through LiveKit.
    expect([heard.from(leo.id).data, leoHeard.from(teacher.id).data]).toEqual([0, 0]);
    // What waiting for the grant adds to joining, on loopback: connected to LiveKit → granted.
    console.log(`LiveKit connect ${leoBot.timing.connectMs} ms, then grant ${leoBot.timing.grantMs} ms`);
    expect(leoBot.timing.grantMs).toBeLessThan(500);
  });
});
