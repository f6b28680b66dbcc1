import { liveClassroom, TestClient } from '../testing/classroom-kit';

describe('access: password, waiting room, limits (real server)', () => {
  // A meeting "minute" of one second lets the duration limit be seen in a test.
  const { server, classroom } = liveClassroom({ MEETING_MINUTE_SECONDS: '1', WAITING_SILENCE_SECONDS: '2' });

  async function room(body: Record<string, unknown>) {
    const res = await server.http('POST', '/api/rooms', { name: 'Accès', ...body });
    expect(res.status).toBe(201);
    return res.json as { moderatorCode: string; viewerCode: string };
  }
  const joinRaw = (code: string, body: Record<string, unknown>) =>
    server.http('POST', `/api/join/${code}`, { name: 'Élève', audioMode: 'microphone', ...body });

  it('asks the students for the room password, never the teachers', async () => {
    const r = await room({ password: 'volcan-42' });
    expect((await server.http('GET', `/api/join/${r.viewerCode}`)).json.passwordRequired).toBe(true);
    expect((await server.http('GET', `/api/join/${r.moderatorCode}`)).json.passwordRequired).toBe(false);
    const teacher = await classroom.join(r.moderatorCode, 'Mme Lune');
    const before = await server.log(teacher.meetingId);
    for (const password of [undefined, 'volcan-43', '']) {
      const res = await joinRaw(r.viewerCode, password === undefined ? {} : { password });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('wrong_password');
    }
    expect(await server.log(teacher.meetingId)).toEqual(before);
    expect((await joinRaw(r.viewerCode, { password: 'volcan-42' })).status).toBe(200);
  });

  it.each([
    ['a password too short', { password: 'abc' }],
    ['an unknown guest policy', { settings: { guestPolicy: 'maybe' } }],
    ['a limit of one participant', { settings: { maxParticipants: 1 } }],
    ['a duration of zero', { settings: { maxDurationMinutes: 0 } }],
  ])('refuses to create a room with %s', async (_why, body) => {
    const res = await server.http('POST', '/api/rooms', { name: 'Accès', ...body });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('malformed');
  });

  it('puts students in a waiting room that only moderators see; they admit, deny and message', async () => {
    const r = await room({ settings: { guestPolicy: 'ask-moderator', welcomeMessage: '  Bienvenue en cours ' } });
    const teacher = await classroom.join(r.moderatorCode, 'M. Soleil');
    expect(teacher.snapshots[0].state.settings?.guestPolicy).toBe('ask-moderator');
    expect(teacher.snapshots[0].state.settings?.welcomeMessage).toBe('Bienvenue en cours');

    const first = await joinRaw(r.viewerCode, { name: 'Anna' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ waiting: true, ticket: expect.any(String) });
    const waiting = await teacher.waitForEvent((e) => e.event.type === 'guest.waiting');
    expect(waiting.event).toMatchObject({ name: 'Anna', audioMode: 'microphone' });
    const annaId = (waiting.event as { guestId: string }).guestId;
    const poll = async (ticket: string) => (await server.http('GET', `/api/waiting/${ticket}`)).json;
    expect(await poll(first.json.ticket)).toEqual({ status: 'waiting', message: null });

    expect(await teacher.send({ type: 'guests.message', text: 'Un instant, on commence à 10 h.' })).toEqual({
      ok: true,
    });
    expect((await poll(first.json.ticket)).message).toBe('Un instant, on commence à 10 h.');
    // A ticket is not a session until admitted.
    const early = await new TestClient(
      server,
      { ...teacher.session, participantId: annaId, sessionToken: first.json.ticket },
      'early',
    ).connect();
    expect(early.fatal?.code).toBe('unauthenticated');

    expect(await teacher.send({ type: 'guests.admit', guestIds: [annaId] })).toEqual({ ok: true });
    const admitted = await poll(first.json.ticket);
    expect(admitted.status).toBe('admitted');
    const anna = await new TestClient(server, admitted.joined, 'Anna').connect();
    expect(anna.snapshots[0].state.participants[annaId]).toMatchObject({ name: 'Anna', role: 'viewer', present: true });
    // Viewers never see the waiting room.
    expect(anna.snapshots[0].state.waiting).toEqual({});
    expect(anna.snapshots[0].state.waitingMessage).toBeNull();

    const second = await joinRaw(r.viewerCode, { name: 'Boris' });
    const borisId = (
      (await teacher.waitForEvent((e) => e.event.type === 'guest.waiting' && e.seq > waiting.seq)).event as {
        guestId: string;
      }
    ).guestId;
    expect(await anna.send({ type: 'guests.admit', guestIds: [borisId] })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await teacher.send({ type: 'guests.deny', guestIds: [borisId] })).toEqual({ ok: true });
    expect((await poll(second.json.ticket)).status).toBe('denied');
    await new Promise((r2) => setTimeout(r2, 200));
    expect(anna.events.filter((e) => e.event.type.startsWith('guest'))).toEqual([]);

    const third = await joinRaw(r.viewerCode, { name: 'Chloé' });
    const fourth = await joinRaw(r.viewerCode, { name: 'David' });
    expect(await teacher.send({ type: 'guests.admit-all' })).toEqual({ ok: true });
    expect((await poll(third.json.ticket)).status).toBe('admitted');
    expect((await poll(fourth.json.ticket)).status).toBe('admitted');
    expect((await poll(second.json.ticket)).status).toBe('denied');

    expect((await server.http('GET', '/api/waiting/forged.ticket')).status).toBe(401);
    anna.close();
  });

  it("drops a guest who closed the waiting page from the moderators' list", async () => {
    const r = await room({ settings: { guestPolicy: 'ask-moderator' } });
    const teacher = await classroom.join(r.moderatorCode, 'M. Lac');
    const gone = await joinRaw(r.viewerCode, { name: 'Parti' });
    expect(gone.status).toBe(200);
    const left = await teacher.waitForEvent((e) => e.event.type === 'guest.left', 8_000);
    expect(left.actor).toBeNull();
    const fresh = await classroom.join(r.moderatorCode, 'Mme Rivière');
    expect(Object.values(fresh.snapshots[0].state.waiting).map((g) => g.status)).toEqual(['left']);
  });

  it('turns students away when guests are always denied, but not moderators', async () => {
    const r = await room({ settings: { guestPolicy: 'always-deny' } });
    await classroom.join(r.moderatorCode, 'Mme Terre');
    const res = await joinRaw(r.viewerCode, {});
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('guests_denied');
    await classroom.join(r.moderatorCode, 'M. Mars');
  });

  it('stops students at the participant limit; moderators still get in', async () => {
    const r = await room({ settings: { maxParticipants: 2 } });
    await classroom.join(r.moderatorCode, 'Mme Jupiter');
    await classroom.join(r.viewerCode, 'Io');
    const res = await joinRaw(r.viewerCode, { name: 'Europe' });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('room_full');
    await classroom.join(r.moderatorCode, 'M. Saturne');
  });

  it('warns before the maximum duration, then ends the meeting for everyone', async () => {
    const r = await room({ settings: { maxDurationMinutes: 3 } });
    const teacher = await classroom.join(r.moderatorCode, 'Mme Vénus');
    expect(teacher.snapshots[0].state.endsAt).not.toBeNull();
    const warning = await teacher.waitForEvent((e) => e.event.type === 'meeting.ending-soon', 5_000);
    const ended = await teacher.waitForEvent((e) => e.event.type === 'meeting.ended', 5_000);
    expect(ended.event).toEqual({ type: 'meeting.ended', roomClosed: false, reason: 'duration' });
    expect(ended.actor).toBeNull();
    expect(Date.parse(ended.at) - Date.parse(warning.at)).toBeGreaterThanOrEqual(1_000);
  });

  it('lets a moderator change the settings live, and refuses viewers and bad values', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    expect(
      await teacher.send({ type: 'settings.update', settings: { guestPolicy: 'ask-moderator', joinMuted: true } }),
    ).toEqual({ ok: true });
    const changed = await student.waitForEvent((e) => e.event.type === 'settings.changed' && e.actor === teacher.id);
    expect(changed.event).toMatchObject({ settings: { guestPolicy: 'ask-moderator', joinMuted: true } });
    const before = await server.log(teacher.meetingId);
    expect(await student.send({ type: 'settings.update', settings: { guestPolicy: 'always-accept' } })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await teacher.send({ type: 'settings.update', settings: { maxParticipants: 1 } })).toMatchObject({
      ok: false,
      code: 'malformed',
    });
    expect(await teacher.send({ type: 'settings.update', settings: { password: 'x' } })).toMatchObject({
      ok: false,
      code: 'malformed',
    });
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });
});
