import { dispose, Room } from '@livekit/rtc-node';
import { TrackSource, TrackType } from 'livekit-server-sdk';
import type { MediaToken } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';
import { countAudioFrames, mediaBot, publishForged, until, type LABEL } from '../testing/media-bot';

/**
 * A malicious client speaking LiveKit directly with the token Estrade gave it: whatever it
 * publishes against the rules is refused or removed within a second, and a listener in the
 * room hears nothing from it.
 */
describe('media rules hold at LiveKit against a client that ignores the web app', () => {
  const { server, classroom } = liveClassroom();
  afterAll(() => dispose());

  const lk = () => server.livekit();
  const tracksOf = async (c: TestClient) =>
    (await lk().listParticipants(c.meetingId)).find((p) => p.identity === c.id)?.tracks ?? [];

  /** The teacher listens through a bot subscribed to everything; the student's bot attacks. */
  async function attack(student: TestClient, teacher: TestClient) {
    const listener = await mediaBot(teacher, { autoSubscribe: true });
    classroom.onClose(listener.close);
    const heard = countAudioFrames(listener.room);
    const attacker = await mediaBot(student);
    classroom.onClose(attacker.close);
    return { heard, attacker };
  }

  /**
   * Publishes a forged track and checks it is refused, or gone from LiveKit within a second,
   * and that the teacher's listener received no audio frame from the student meanwhile.
   */
  async function expectRemoved(
    student: TestClient,
    teacher: TestClient,
    kind: 'audio' | 'video',
    label: keyof typeof LABEL,
  ) {
    const { heard, attacker } = await attack(student, teacher);
    const publication = await publishForged(attacker.room, kind, label);
    const published = Date.now();
    const tracks = await until(
      () => tracksOf(student),
      (ts) => ts.length === 0,
      1000,
    );
    expect({
      kind,
      label,
      left: tracks.map((t) => ({ type: TrackType[t.type], source: TrackSource[t.source] })),
    }).toEqual({
      kind,
      label,
      left: [],
    });
    expect(Date.now() - published).toBeLessThan(1500);
    // Keep sending a while: nothing reaches the listener, then or later.
    await new Promise((r) => setTimeout(r, 2000));
    publication.stop();
    expect(await tracksOf(student)).toEqual([]);
    expect(heard.from(student.id)).toBe(0);
    return publication;
  }

  it('removes audio labelled camera from a listen-only student, unheard', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('listen-only');
    await expectRemoved(student, teacher, 'audio', 'camera');
  });

  it('removes audio labelled camera from a student under the microphone lock, unheard', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    expect(await teacher.send({ type: 'locks.update', locks: { microphone: true } })).toEqual({ ok: true });
    await expectRemoved(student, teacher, 'audio', 'camera');
    // The grant LiveKit holds for them leaves the microphone out.
    const me = (await lk().listParticipants(student.meetingId)).find((p) => p.identity === student.id);
    expect(me?.permission?.canPublishSources).toEqual([TrackSource.CAMERA]);
    // And the real microphone is refused by LiveKit's grant itself.
    const { attacker, heard } = await attack(student, teacher);
    const mic = await publishForged(attacker.room, 'audio', 'microphone');
    mic.stop();
    expect(mic.accepted).toBe(false);
    expect(await tracksOf(student)).toEqual([]);
    expect(heard.from(student.id)).toBe(0);
  });

  it('removes video labelled microphone, and refuses audio labelled screen share from a non-presenter', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    await expectRemoved(student, teacher, 'video', 'microphone');
    const { attacker, heard } = await attack(student, teacher);
    const forged = await publishForged(attacker.room, 'audio', 'screen_share');
    await new Promise((r) => setTimeout(r, 1500));
    forged.stop();
    expect(await tracksOf(student)).toEqual([]);
    expect(heard.from(student.id)).toBe(0);
  });

  it('gives nothing to publish when camera and microphone are both locked (never "any source")', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    expect(await teacher.send({ type: 'locks.update', locks: { camera: true, microphone: true } })).toEqual({
      ok: true,
    });
    const reply = await student.request('media.token');
    const grant = JSON.parse(
      Buffer.from((reply as { result: MediaToken }).result.token.split('.')[1], 'base64url').toString(),
    ).video;
    expect(grant.canPublish).toBe(false);
    const { attacker, heard } = await attack(student, teacher);
    // The three are tried at once (a refusal is only known when no acknowledgement comes).
    const forged = await Promise.all([
      publishForged(attacker.room, 'audio', 'microphone'),
      publishForged(attacker.room, 'audio', 'camera'),
      publishForged(attacker.room, 'video', 'camera'),
    ]);
    forged.forEach((f) => f.stop());
    expect(forged.map((f) => f.accepted)).toEqual([false, false, false]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await tracksOf(student)).toEqual([]);
    expect(heard.from(student.id)).toBe(0);
    const me = (await lk().listParticipants(student.meetingId)).find((p) => p.identity === student.id);
    expect(me?.permission?.canPublish).toBe(false);
  });

  it('keeps a banned student out of LiveKit, even coming back at once with the token they held', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    const token = ((await student.request('media.token')) as { result: MediaToken }).result;
    const { attacker, heard } = await attack(student, teacher);
    await attacker.publishMicrophone();
    await until(
      () => tracksOf(student),
      (ts) => ts.length > 0,
    );

    expect(await teacher.send({ type: 'participant.remove', participantId: student.id, ban: true })).toEqual({
      ok: true,
    });
    await until(
      async () => (await lk().listParticipants(student.meetingId)).some((p) => p.identity === student.id),
      (inRoom) => !inRoom,
      2000,
    );
    // Frames already on their way when the ban landed are counted before the attempt to return.
    await new Promise((r) => setTimeout(r, 500));
    const framesAtBan = heard.from(student.id);

    // Back with the old token, at once: connected for a moment at most, and out within a second.
    const again = new Room();
    classroom.onClose(() => Promise.race([again.disconnect(), new Promise<void>((r) => setTimeout(r, 3000))]));
    const rejoined = await again.connect(token.url, token.token, { autoSubscribe: true, dynacast: false }).then(
      () => Date.now(),
      () => null,
    );
    if (rejoined !== null) {
      const forged = await publishForged(again, 'audio', 'microphone');
      const gone = await until(
        async () => (await lk().listParticipants(student.meetingId)).some((p) => p.identity === student.id),
        (inRoom) => !inRoom,
        1000,
      );
      forged.stop();
      expect(gone).toBe(false);
      expect(Date.now() - rejoined).toBeLessThan(1500);
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect((await lk().listParticipants(student.meetingId)).some((p) => p.identity === student.id)).toBe(false);
    expect(heard.from(student.id)).toBe(framesAtBan);
  });

  it('removes a LiveKit connection by someone who left the meeting', async () => {
    const { student } = await classroom.withTeacherAndStudent('microphone');
    const token = ((await student.request('media.token')) as { result: MediaToken }).result;
    expect(await student.send({ type: 'participant.leave' })).toEqual({ ok: true });
    const ghost = new Room();
    classroom.onClose(() => Promise.race([ghost.disconnect(), new Promise<void>((r) => setTimeout(r, 3000))]));
    await ghost.connect(token.url, token.token, { autoSubscribe: true, dynacast: false }).catch(() => undefined);
    const inRoom = await until(
      async () => (await lk().listParticipants(student.meetingId)).some((p) => p.identity === student.id),
      (v) => !v,
      1000,
    );
    expect(inRoom).toBe(false);
  });

  it('lets the rules through untouched: a student publishing a real microphone keeps it', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    const { attacker, heard } = await attack(student, teacher);
    const mic = await publishForged(attacker.room, 'audio', 'microphone');
    expect(mic.accepted).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    mic.stop();
    expect((await tracksOf(student)).map((t) => t.source)).toEqual([TrackSource.MICROPHONE]);
    expect(heard.from(student.id)).toBeGreaterThan(0);
  });
});
