import { dispose } from '@livekit/rtc-node';
import { TrackSource } from 'livekit-server-sdk';
import type { MediaToken } from '@estrade/protocol';
import { liveClassroom, livekitGrant, type TestClient } from '../testing/classroom-kit';
import { botFor, until } from '../testing/media-bot';

describe('media through LiveKit follows the roles (real LiveKit server)', () => {
  const { server, classroom } = liveClassroom();
  // rtc-node's native client is disposed once, after the classroom's bots are closed.
  afterAll(() => dispose());

  it('mints tokens that only open the room, and grants rights that follow the role and audio mode', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Petit', 'microphone');
    const speaker = await classroom.join(room.viewerCode, 'Adam', 'microphone');
    const listener = await classroom.join(room.viewerCode, 'Lina', 'listen-only');
    const grants = await Promise.all(
      [teacher, speaker, listener].map(async (c) => {
        const reply = await c.request('media.token');
        return livekitGrant((reply as { result: MediaToken }).result.token);
      }),
    );
    for (const g of grants) {
      expect(g).toMatchObject({ roomJoin: true, room: teacher.meetingId, canSubscribe: false, canPublish: false });
    }
    // The rights come from the server once each is connected.
    for (const c of [teacher, speaker, listener]) await botFor(classroom, c, false);
    const participants = await server.livekit().listParticipants(teacher.meetingId);
    const sources = (c: TestClient) => participants.find((p) => p.identity === c.id)?.permission?.canPublishSources;
    expect([teacher, speaker, listener].map(sources)).toEqual([
      // The teacher, first moderator in, is the presenter and may share a screen.
      [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO],
      [TrackSource.CAMERA, TrackSource.MICROPHONE],
      [TrackSource.CAMERA],
    ]);
  });

  it('lets a microphone participant publish, and LiveKit and the log both know they are connected', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    const bot = await botFor(classroom, student, false);
    await bot.publishMicrophone();
    const participants = await until(
      () => server.livekit().listParticipants(student.meetingId),
      (ps) => ps.some((p) => p.identity === student.id && p.tracks.some((t) => t.source === TrackSource.MICROPHONE)),
    );
    const me = participants.find((p) => p.identity === student.id)!;
    expect(me.tracks.filter((t) => t.source === TrackSource.MICROPHONE)).toHaveLength(1);
    // LiveKit's webhook reached the server, which logged the media connection.
    const media = await teacher.waitForEvent((e) => e.event.type === 'participant.media-changed');
    expect(media.event).toEqual({ type: 'participant.media-changed', participantId: student.id, connected: true });
  });

  it('has LiveKit itself refuse a microphone from a listen-only participant', async () => {
    const { student } = await classroom.withTeacherAndStudent('listen-only');
    const bot = await botFor(classroom, student, false);
    await expect(bot.publishMicrophone()).rejects.toThrow();
    const me = (await server.livekit().listParticipants(student.meetingId)).find((p) => p.identity === student.id)!;
    expect(me.tracks.filter((t) => t.source === TrackSource.MICROPHONE)).toHaveLength(0);
    expect(me.permission?.canPublishSources).toEqual([TrackSource.CAMERA]);
  });

  it('re-permissions LiveKit when a participant switches to listen only, and back', async () => {
    const { student } = await classroom.withTeacherAndStudent('microphone');
    const bot = await botFor(classroom, student, false);
    await bot.publishMicrophone();
    const lk = server.livekit();
    const find = async () => (await lk.listParticipants(student.meetingId)).find((p) => p.identity === student.id);

    expect(await student.send({ type: 'audio.set-mode', mode: 'listen-only' })).toEqual({ ok: true });
    const revoked = await until(find, (p) => !!p && !p.permission?.canPublishSources.includes(TrackSource.MICROPHONE));
    expect(revoked?.permission?.canPublishSources).toEqual([TrackSource.CAMERA]);
    // LiveKit drops the microphone it no longer allows.
    const dropped = await until(find, (p) => !!p && !p.tracks.some((t) => t.source === TrackSource.MICROPHONE));
    expect(dropped?.tracks.filter((t) => t.source === TrackSource.MICROPHONE)).toHaveLength(0);

    expect(await student.send({ type: 'audio.set-mode', mode: 'microphone' })).toEqual({ ok: true });
    const granted = await until(find, (p) => !!p && !!p.permission?.canPublishSources.includes(TrackSource.MICROPHONE));
    expect(granted?.permission?.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
  });

  it('refuses webhooks that LiveKit did not sign, and logs nothing', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const before = await server.log(teacher.meetingId);
    const forged = JSON.stringify({
      event: 'participant_left',
      room: { name: teacher.meetingId },
      participant: { identity: student.id },
    });
    const res = await fetch(`${server.url}/api/livekit/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', authorization: 'forged' },
      body: forged,
    });
    expect(res.status).toBe(401);
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });

  it('closes the media room of an ended meeting, even for a connection that does not leave', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('microphone');
    // A client that ignores the end and stays connected to LiveKit.
    const bot = await botFor(classroom, student, false);
    await bot.publishMicrophone();
    const inRoom = async () => (await server.livekit().listRooms()).some((r) => r.name === student.meetingId);
    expect(await inRoom()).toBe(true);
    expect(await teacher.send({ type: 'meeting.end', closeRoom: false })).toEqual({ ok: true });
    // Within the grace the server gives clients to leave on their own, plus a margin.
    expect(await until(inRoom, (present) => !present, 5000)).toBe(false);
  });
});
