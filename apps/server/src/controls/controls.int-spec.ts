import { Client } from 'pg';
import { dispose } from '@livekit/rtc-node';
import { TrackSource } from 'livekit-server-sdk';
import { liveClassroom, TestClient } from '../testing/classroom-kit';
import { botFor as addBot, until } from '../testing/media-bot';

// rtc-node's native client can be disposed once per process: after every block below.
afterAll(() => dispose());

describe("the teacher's controls, enforced by the server and by LiveKit", () => {
  const { server, classroom } = liveClassroom();

  const botFor = (client: TestClient, publish = true) => addBot(classroom, client, publish);
  const lkParticipant = async (c: TestClient) =>
    (await server.livekit().listParticipants(c.meetingId)).find((p) => p.identity === c.id);
  const micOf = async (c: TestClient) =>
    (await lkParticipant(c))?.tracks.find((t) => t.source === TrackSource.MICROPHONE);

  it('makes the first moderator presenter, and a moderator can hand the role to a student (screen share follows in LiveKit)', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    expect(student.snapshots[0].state.presenterId).toBe(teacher.id);
    await botFor(teacher, false);
    await botFor(student, false);
    expect(await teacher.send({ type: 'presenter.set', participantId: student.id })).toEqual({ ok: true });
    const changed = await student.waitForEvent((e) => e.event.type === 'presenter.changed');
    expect(changed).toMatchObject({ actor: teacher.id, event: { participantId: student.id } });
    const studentInLk = await until(
      () => lkParticipant(student),
      (p) => !!p?.permission?.canPublishSources.includes(TrackSource.SCREEN_SHARE),
    );
    expect(studentInLk?.permission?.canPublishSources).toContain(TrackSource.SCREEN_SHARE);
    const teacherInLk = await until(
      () => lkParticipant(teacher),
      (p) => !!p && !p.permission?.canPublishSources.includes(TrackSource.SCREEN_SHARE),
    );
    expect(teacherInLk?.permission?.canPublishSources).not.toContain(TrackSource.SCREEN_SHARE);
  });

  it('mutes one participant in LiveKit', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    await botFor(student);
    await until(
      () => micOf(student),
      (t) => !!t,
    );
    expect(await teacher.send({ type: 'participant.mute', participantId: student.id })).toEqual({ ok: true });
    expect(
      (
        await until(
          () => micOf(student),
          (t) => !!t?.muted,
        )
      )?.muted,
    ).toBe(true);
    expect((await server.log(teacher.meetingId)).at(-1)).toMatchObject({
      type: 'participant.muted',
      actor: teacher.id,
    });
  });

  it('mutes everyone but the presenter (and the teacher who asks)', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Noir');
    const presenter = await classroom.join(room.viewerCode, 'Paul');
    const other = await classroom.join(room.viewerCode, 'Rose');
    await teacher.send({ type: 'presenter.set', participantId: presenter.id });
    for (const c of [teacher, presenter, other]) await botFor(c);
    for (const c of [teacher, presenter, other])
      await until(
        () => micOf(c),
        (t) => !!t,
      );
    expect(await teacher.send({ type: 'meeting.mute-all', exceptPresenter: true })).toEqual({ ok: true });
    expect(
      (
        await until(
          () => micOf(other),
          (t) => !!t?.muted,
        )
      )?.muted,
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect((await micOf(presenter))?.muted).toBe(false);
    expect((await micOf(teacher))?.muted).toBe(false);
  });

  it("locks viewers' microphones: LiveKit revokes and refuses them, the socket refuses switching to the microphone", async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'M. Vert');
    const speaking = await classroom.join(room.viewerCode, 'Ali', 'microphone');
    const listening = await classroom.join(room.viewerCode, 'Emma', 'listen-only');
    await botFor(speaking);
    await until(
      () => micOf(speaking),
      (t) => !!t,
    );

    expect(await teacher.send({ type: 'locks.update', locks: { microphone: true } })).toEqual({ ok: true });
    expect((await listening.waitForEvent((e) => e.event.type === 'locks.changed')).event).toMatchObject({
      locks: { microphone: true, camera: false },
    });
    // The speaking student's microphone is no longer allowed, and LiveKit drops it.
    const revoked = await until(
      () => lkParticipant(speaking),
      (p) =>
        !!p &&
        !p.permission?.canPublishSources.includes(TrackSource.MICROPHONE) &&
        !p.tracks.some((t) => t.source === TrackSource.MICROPHONE),
    );
    expect(revoked?.tracks.filter((t) => t.source === TrackSource.MICROPHONE)).toHaveLength(0);

    // The listening student cannot switch to the microphone...
    const before = await server.log(teacher.meetingId);
    expect(await listening.send({ type: 'audio.set-mode', mode: 'microphone' })).toMatchObject({
      ok: false,
      code: 'locked',
    });
    expect(await server.log(teacher.meetingId)).toEqual(before);
    // ...and asking LiveKit directly, with a fresh token, is refused by LiveKit.
    const bot = await botFor(speaking, false);
    await expect(bot.publishMicrophone()).rejects.toThrow();

    // The teacher is not locked.
    expect(await teacher.send({ type: 'audio.set-mode', mode: 'listen-only' })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'audio.set-mode', mode: 'microphone' })).toEqual({ ok: true });

    // A viewer cannot unlock.
    expect(await speaking.send({ type: 'locks.update', locks: { microphone: false } })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });

  it("locks viewers' cameras in LiveKit, never the moderators'", async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    await botFor(teacher, false);
    await botFor(student, false);
    expect(await teacher.send({ type: 'locks.update', locks: { camera: true } })).toEqual({ ok: true });
    const studentInLk = await until(
      () => lkParticipant(student),
      (p) => !!p && !p.permission?.canPublishSources.includes(TrackSource.CAMERA),
    );
    expect(studentInLk?.permission?.canPublishSources).not.toContain(TrackSource.CAMERA);
    expect((await lkParticipant(teacher))?.permission?.canPublishSources).toContain(TrackSource.CAMERA);
  });

  it('mutes newcomers when "join muted" is on, by the server, once', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Ocre');
    await teacher.send({ type: 'settings.update', settings: { joinMuted: true } });
    const late = await classroom.join(room.viewerCode, 'Tardif');
    await botFor(late);
    expect(
      (
        await until(
          () => micOf(late),
          (t) => !!t?.muted,
        )
      )?.muted,
    ).toBe(true);
    const muted = await teacher.waitForEvent((e) => e.event.type === 'participant.muted');
    expect(muted).toMatchObject({ actor: null, event: { participantId: late.id } });
  });

  it('queues raised hands first raised first; a moderator lowers one or all, a student only their own', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Rose');
    const [s1, s2, s3] = [
      await classroom.join(room.viewerCode, 'Un'),
      await classroom.join(room.viewerCode, 'Deux'),
      await classroom.join(room.viewerCode, 'Trois'),
    ];
    for (const s of [s2, s3, s1]) expect(await s.send({ type: 'hand.raise' })).toEqual({ ok: true });
    await teacher.waitForEvent((e) => e.event.type === 'hand.raised' && e.event.participantId === s1.id);
    const hands = async () => (await server.log(teacher.meetingId)).filter((e) => e.type.startsWith('hand.'));
    expect((await hands()).map((e) => e.actor)).toEqual([s2.id, s3.id, s1.id]);

    expect(await s1.send({ type: 'hand.lower', participantId: s2.id })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await teacher.send({ type: 'hand.lower', participantId: s2.id })).toEqual({ ok: true });
    expect(await s3.send({ type: 'hand.lower' })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'hands.lower-all' })).toEqual({ ok: true });
    const fresh = await classroom.join(room.viewerCode, 'Quatre');
    expect(fresh.snapshots[0].state.hands).toEqual([]);
    expect(await s1.send({ type: 'hands.lower-all' })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('hides the other viewers from viewers under the participant-list lock, in snapshots and in events', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Gris');
    const ana = await classroom.join(room.viewerCode, 'Ana');
    expect(await teacher.send({ type: 'locks.update', locks: { participantList: true } })).toEqual({ ok: true });
    // Ana is resynchronised with what she may now see.
    await until(
      async () => ana.snapshots.length,
      (n) => n >= 2,
    );
    expect(Object.keys(ana.snapshots.at(-1)!.state.participants).sort()).toEqual([teacher.id, ana.id].sort());

    const ben = await classroom.join(room.viewerCode, 'Ben');
    await ben.send({ type: 'hand.raise' });
    await teacher.waitForEvent((e) => e.event.type === 'hand.raised');
    expect(Object.keys(ben.snapshots[0].state.participants).sort()).toEqual([teacher.id, ben.id].sort());
    expect(ana.events.filter((e) => JSON.stringify(e.event).includes(ben.id))).toEqual([]);
    expect(teacher.events.filter((e) => JSON.stringify(e.event).includes(ben.id)).length).toBeGreaterThanOrEqual(2);

    // Lifted: viewers get a snapshot with everyone again.
    const before = ana.snapshots.length;
    await teacher.send({ type: 'locks.update', locks: { participantList: false } });
    await until(
      async () => ana.snapshots.length,
      (n) => n > before,
    );
    expect(Object.keys(ana.snapshots.at(-1)!.state.participants)).toContain(ben.id);
  });

  it.each([
    ['make themself presenter', (s: TestClient) => ({ type: 'presenter.set', participantId: s.id })],
    ['mute the teacher', (_s: TestClient, t: TestClient) => ({ type: 'participant.mute', participantId: t.id })],
    ['mute everyone', () => ({ type: 'meeting.mute-all', exceptPresenter: false })],
    ['lock the cameras', () => ({ type: 'locks.update', locks: { camera: true } })],
  ])('refuses a viewer who tries to %s, and changes nothing', async (_why, build) => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const before = await server.log(teacher.meetingId);
    expect(await student.send(build(student, teacher))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });

  it.each([
    [
      'an unknown participant',
      { type: 'presenter.set', participantId: '00000000-0000-4000-8000-000000000000' },
      'not_found',
    ],
    ['an unknown lock', { type: 'locks.update', locks: { everything: true } }, 'malformed'],
    ['a lock that is not a boolean', { type: 'locks.update', locks: { camera: 'yes' } }, 'malformed'],
  ])('refuses %s from a moderator', async (_why, payload, code) => {
    const { teacher } = await classroom.withTeacherAndStudent();
    const before = await server.log(teacher.meetingId);
    expect(await teacher.send(payload)).toMatchObject({ ok: false, code });
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });
});

describe('removing and banning a participant', () => {
  const { server, classroom } = liveClassroom();
  const inLivekit = async (c: TestClient) =>
    (await server.livekit().listParticipants(c.meetingId)).some((p) => p.identity === c.id);

  it('removes a participant from the meeting and from LiveKit; without a ban they may come back by the link', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    await addBot(classroom, student, false);
    expect(
      await until(
        () => inLivekit(student),
        (v) => v,
      ),
    ).toBe(true);
    expect(await teacher.send({ type: 'participant.remove', participantId: student.id, ban: false })).toEqual({
      ok: true,
    });
    const left = await student.waitForEvent((e) => e.event.type === 'participant.left');
    expect(left).toMatchObject({ actor: teacher.id, event: { participantId: student.id, reason: 'removed' } });
    expect(
      await until(
        () => inLivekit(student),
        (v) => !v,
      ),
    ).toBe(false);
    await new Promise((r) => setTimeout(r, 700));
    expect(student.socket.connected).toBe(false);
    // Their old session is over...
    const again = await new TestClient(server, student.session, 'again').connect();
    expect(again.fatal?.code).toBe('unauthenticated');
    // ...but the link still works for them.
    const back = await classroom.join(room.viewerCode, 'Léo', 'microphone', student);
    expect(back.snapshots[0].state.participants[back.id].present).toBe(true);
  });

  it('bans: every connection ends, and neither the old session nor a new name from the same browser gets back in', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const secondTab = await new TestClient(server, student.session, 'second tab').connect();
    await addBot(classroom, student, false);
    expect(
      await until(
        () => inLivekit(student),
        (v) => v,
      ),
    ).toBe(true);
    expect(await teacher.send({ type: 'participant.remove', participantId: student.id, ban: true })).toEqual({
      ok: true,
    });
    expect(
      await until(
        () => inLivekit(student),
        (v) => !v,
      ),
    ).toBe(false);
    await new Promise((r) => setTimeout(r, 700));
    expect([student.socket.connected, secondTab.socket.connected]).toEqual([false, false]);
    expect((await server.log(teacher.meetingId)).slice(-2).map((e) => e.type)).toEqual([
      'participant.left',
      'participant.banned',
    ]);

    const again = await new TestClient(server, student.session, 'again').connect();
    expect(again.fatal?.code).toBe('banned');
    const before = await server.log(teacher.meetingId);
    const res = await server.http(
      'POST',
      `/api/join/${room.viewerCode}`,
      { name: 'Someone Else', audioMode: 'microphone' },
      { cookie: student.deviceCookie },
    );
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('banned');
    expect(await server.log(teacher.meetingId)).toEqual(before);
    // Another pupil's browser is not affected.
    await classroom.join(room.viewerCode, 'Another pupil');
  });

  it("never sends anyone a browser's device hash, and hashes the same browser differently in each room", async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const other = await classroom.createRoom('Autre classe');
    const otherTeacher = await classroom.join(other.moderatorCode, 'M. Roux');
    const sameBrowser = await classroom.join(other.viewerCode, 'Léo', 'microphone', student);
    await teacher.waitForEvent((e) => e.event.type === 'participant.joined' && e.event.participantId === student.id);
    for (const c of [teacher, student, otherTeacher, sameBrowser]) {
      expect(JSON.stringify(c.snapshots)).not.toContain('"device"');
      expect(JSON.stringify(c.events)).not.toContain('"device"');
    }
    const db = new Client({ connectionString: process.env.ESTRADE_TEST_DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT payload->>'device' AS device FROM meeting_events WHERE type = 'participant.joined' AND payload->>'participantId' = ANY($1)`,
        [[student.id, sameBrowser.id]],
      );
      expect(rows).toHaveLength(2);
      expect(rows[0].device).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].device).not.toBe(rows[1].device);
    } finally {
      await db.end();
    }
  });

  it('refuses a viewer removing anyone, and a moderator removing themself', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const before = await server.log(teacher.meetingId);
    expect(await student.send({ type: 'participant.remove', participantId: teacher.id, ban: true })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await teacher.send({ type: 'participant.remove', participantId: teacher.id, ban: false })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(
      await teacher.send({ type: 'participant.remove', participantId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });
});

describe('statuses and reactions', () => {
  const { server, classroom } = liveClassroom();

  it('stepping away mutes the microphone in LiveKit; reactions are logged; a moderator clears all statuses', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    await addBot(classroom, student);
    const mic = async () =>
      (await server.livekit().listParticipants(student.meetingId))
        .find((p) => p.identity === student.id)
        ?.tracks.find((t) => t.source === TrackSource.MICROPHONE);
    await until(mic, (t) => !!t);

    expect(await student.send({ type: 'status.set', status: 'away' })).toEqual({ ok: true });
    expect((await until(mic, (t) => !!t?.muted))?.muted).toBe(true);
    expect(await student.send({ type: 'reaction.send', reaction: 'thumbs-up' })).toEqual({ ok: true });
    const reacted = await teacher.waitForEvent((e) => e.event.type === 'participant.reacted');
    expect(reacted).toMatchObject({ actor: student.id, event: { participantId: student.id, reaction: 'thumbs-up' } });

    expect(await student.send({ type: 'statuses.clear' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await student.send({ type: 'reaction.send', reaction: 'middle-finger' })).toMatchObject({
      ok: false,
      code: 'malformed',
    });
    expect(await teacher.send({ type: 'statuses.clear' })).toEqual({ ok: true });
    const fresh = await new TestClient(server, student.session, 'Léo, second tab').connect();
    expect(fresh.snapshots[0].state.participants[student.id]).toMatchObject({ status: null, reaction: null });
    fresh.close();
  });
});
