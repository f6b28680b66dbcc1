import { PROTOCOL_VERSION } from '@estrade/protocol';
import { liveClassroom, TestClient } from '../testing/classroom-kit';

describe('the classroom socket: commands in, events out, one log per meeting', () => {
  const { server, classroom } = liveClassroom();

  it('gives a joining participant a snapshot with everyone present, and tells the others', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent('listen-only');
    const snap = student.snapshots[0];
    // A viewer's snapshot is the one every viewer gets (shared, encoded once): it names nobody.
    expect(snap.you).toBeUndefined();
    expect(snap.state.participants[teacher.id]).toMatchObject({ name: 'Mme Martin', role: 'moderator', present: true });
    expect(snap.state.participants[student.id]).toMatchObject({
      name: 'Léo',
      role: 'viewer',
      audioMode: 'listen-only',
    });
    const joined = await teacher.waitForEvent(
      (e) => e.event.type === 'participant.joined' && e.event.participantId === student.id,
    );
    expect(joined.actor).toBe(student.id);
    expect(joined.seq).toBe(snap.seq);
  });

  it('logs every change in PostgreSQL in order, with its actor', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    expect(await student.send({ type: 'audio.set-mode', mode: 'listen-only' })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'participant.set-role', participantId: student.id, role: 'moderator' })).toEqual({
      ok: true,
    });
    const log = await server.log(teacher.meetingId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.slice(-2)).toEqual([
      { seq: log.length - 1, type: 'participant.audio-mode-changed', actor: student.id },
      { seq: log.length, type: 'participant.role-changed', actor: teacher.id },
    ]);
    const changed = await student.waitForEvent((e) => e.event.type === 'participant.role-changed');
    expect(changed.event).toEqual({ type: 'participant.role-changed', participantId: student.id, role: 'moderator' });
  });

  describe('refuses and changes nothing', () => {
    it.each([
      ['an unknown command', { type: 'chat.launch-missiles' }, 'unknown_command'],
      ['a command without a type', { mode: 'microphone' }, 'malformed'],
      ['a bad field', { type: 'audio.set-mode', mode: 'loud' }, 'malformed'],
      [
        'an extra field (the actor is never taken from the payload)',
        { type: 'audio.set-mode', mode: 'listen-only', participantId: '00000000-0000-4000-8000-000000000000' },
        'malformed',
      ],
      ['a non-object', 'hello', 'malformed'],
      ['null', null, 'malformed'],
      [
        'a role change for an unknown participant',
        { type: 'participant.set-role', participantId: '00000000-0000-4000-8000-000000000000', role: 'viewer' },
        'not_found',
      ],
    ])('%s', async (_why, payload, code) => {
      const { teacher } = await classroom.withTeacherAndStudent();
      const before = await server.log(teacher.meetingId);
      const reply = await teacher.send(payload);
      expect(reply).toEqual({ ok: false, code, message: expect.any(String) });
      expect(await server.log(teacher.meetingId)).toEqual(before);
    });

    it.each([
      [
        'promote themself',
        (s: TestClient) => ({ type: 'participant.set-role', participantId: s.id, role: 'moderator' }),
      ],
      [
        'demote the teacher',
        (_s: TestClient, t: TestClient) => ({ type: 'participant.set-role', participantId: t.id, role: 'viewer' }),
      ],
      ['end the meeting', () => ({ type: 'meeting.end', closeRoom: true })],
    ])('a viewer trying to %s', async (_why, build) => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      const before = await server.log(teacher.meetingId);
      const reply = await student.send(build(student, teacher));
      expect(reply).toMatchObject({ ok: false, code: 'forbidden' });
      expect(await server.log(teacher.meetingId)).toEqual(before);
    });

    it('an oversized message: the connection is dropped, the log untouched', async () => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      const before = await server.log(teacher.meetingId);
      await expect(student.send({ type: 'audio.set-mode', mode: 'x'.repeat(600 * 1024) })).rejects.toThrow(); // over the 512 KiB limit
      expect(await server.log(teacher.meetingId)).toEqual(before);
    });
  });

  describe('authenticates every connection from its session token', () => {
    it.each([
      ['no handshake', {}, 'unauthenticated'],
      ['a forged token', { token: 'eyJwIjoiYSJ9.c2ln', protocol: PROTOCOL_VERSION }, 'unauthenticated'],
      ['an old protocol version', null, 'protocol_mismatch'],
    ])('refuses %s', async (_why, auth, code) => {
      const { student } = await classroom.withTeacherAndStudent();
      const intruder = new TestClient(server, student.session, 'intruder');
      await intruder.connect({ auth: auth ?? { token: student.session.sessionToken, protocol: PROTOCOL_VERSION - 1 } });
      expect(intruder.fatal?.code).toBe(code);
      expect(intruder.snapshots).toHaveLength(0);
      intruder.close();
    });

    it('refuses a token after its participant left, and one for an ended meeting', async () => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      await student.send({ type: 'participant.leave' });
      const again = await new TestClient(server, student.session, 'again').connect();
      expect(again.fatal?.code).toBe('unauthenticated');
      await teacher.send({ type: 'meeting.end', closeRoom: false });
      const late = await new TestClient(server, teacher.session, 'late').connect();
      expect(late.fatal?.code).toBe('meeting_ended');
    });

    it('renews a session token over the socket', async () => {
      const { student } = await classroom.withTeacherAndStudent();
      const reply = await student.request('session.renew');
      expect(reply.ok).toBe(true);
      const renewed = (reply as { result: { sessionToken: string } }).result.sessionToken;
      const second = await new TestClient(
        server,
        { ...student.session, sessionToken: renewed },
        'second tab',
      ).connect();
      expect(second.snapshots[0].state.participants[student.id]).toMatchObject({ present: true });
      second.close();
    });
  });

  describe('presence', () => {
    it('keeps a participant who reconnects within the grace period (a reload), with no departure logged', async () => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      student.close();
      const back = await new TestClient(server, student.session, 'Léo again').connect();
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await server.log(teacher.meetingId)).filter((e) => e.type === 'participant.left')).toEqual([]);
      expect(back.snapshots[0].state.participants[student.id].present).toBe(true);
      back.close();
    });

    it('confirms a resume after a blip with nothing missed, and gives a snapshot to a client claiming a seq not yet reached', async () => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      await teacher.waitForEvent((e) => e.event.type === 'participant.joined' && e.event.participantId === student.id);
      const held = student.lastSeq;
      student.close();
      const events = student.events.length;
      await student.connect({ resume: true });
      // Nothing happened meanwhile: no event, only the word that it is up to date.
      expect(student.resumed).toEqual([{ seq: held }]);
      expect(student.events).toHaveLength(events);
      expect(student.snapshots).toHaveLength(1);

      // A seq beyond the log (a forged or stale handshake) is not taken at its word: a snapshot.
      const ahead = new TestClient(server, student.session, 'Léo from the future');
      await ahead.connect({
        auth: { token: student.session.sessionToken, protocol: PROTOCOL_VERSION, lastSeq: held + 1000 },
      });
      expect(ahead.resumed).toEqual([]);
      expect(ahead.snapshots).toHaveLength(1);
      expect(ahead.snapshots[0].seq).toBe(held);
      ahead.close();
    });

    it('logs a departure when a participant stays away past the grace period, and a return when they come back', async () => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      student.close();
      const left = await teacher.waitForEvent((e) => e.event.type === 'participant.left', 6_000);
      expect(left.event).toEqual({ type: 'participant.left', participantId: student.id, reason: 'disconnected' });
      expect(left.actor).toBeNull();
      const back = await new TestClient(server, student.session, 'Léo back').connect();
      expect(back.snapshots[0].state.participants[student.id].present).toBe(true);
      await teacher.waitForEvent((e) => e.event.type === 'participant.joined' && e.seq > left.seq);
      back.close();
    });

    it("records leaving on purpose, and closes that participant's connection", async () => {
      const { teacher, student } = await classroom.withTeacherAndStudent();
      expect(await student.send({ type: 'participant.leave' })).toEqual({ ok: true });
      const left = await teacher.waitForEvent((e) => e.event.type === 'participant.left');
      expect(left.event).toMatchObject({ reason: 'left' });
      expect(left.actor).toBe(student.id);
      await new Promise((r) => setTimeout(r, 800));
      expect(student.socket.connected).toBe(false);
    });
  });

  it('after a server restart keeps rooms and the log, and a reconnecting client receives exactly the events it missed', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    // Comings and goings reach the others within a moment (they go out together).
    await teacher.waitForEvent((e) => e.event.type === 'participant.joined' && e.event.participantId === student.id);
    const seqBefore = teacher.lastSeq;
    // While the teacher is away, things happen: a student switches to listen only, another joins.
    teacher.close();
    await student.send({ type: 'audio.set-mode', mode: 'listen-only' });
    const late = await classroom.join(room.viewerCode, 'Nora');

    await server.restart();

    // The room still opens, and the teacher resumes from the last seq held.
    expect((await server.http('GET', `/api/join/${room.viewerCode}`)).status).toBe(200);
    teacher.events.length = 0;
    await teacher.connect({ resume: true });
    expect(teacher.fatal).toBeNull();
    expect(teacher.snapshots).toHaveLength(1); // only the first one, from before the restart
    // Exactly the log after the seq it held: no gap, no duplicate, nothing from before.
    const missed = (await server.log(teacher.meetingId)).filter((e) => e.seq > seqBefore);
    expect(teacher.events.map((e) => e.seq)).toEqual(missed.map((e) => e.seq));
    expect(teacher.events.map((e) => e.event.type)).toEqual(missed.map((e) => e.type));
    expect(missed.map((e) => e.type).slice(0, 2)).toEqual(['participant.audio-mode-changed', 'participant.joined']);
    expect(teacher.events[1].event).toMatchObject({ type: 'participant.joined', participantId: late.id, name: 'Nora' });
    // Then the server says it is up to date, as of the log's last seq: once, after those events.
    expect(teacher.resumed).toEqual([{ seq: missed.at(-1)!.seq }]);

    // A client without history gets a snapshot rebuilt from the log.
    const fresh = await new TestClient(server, student.session, 'Léo after restart').connect();
    expect(fresh.snapshots[0].seq).toBeGreaterThanOrEqual(missed.at(-1)!.seq);
    expect(fresh.snapshots[0].state.participants[student.id].audioMode).toBe('listen-only');
    fresh.close();
  });
});
