import { liveClassroom } from '../testing/classroom-kit';

describe('rooms and joining by link (real server, PostgreSQL, LiveKit)', () => {
  const { server, classroom } = liveClassroom();

  it('creates a room with two different unguessable codes, stored only as hashes', async () => {
    const room = await classroom.createRoom('  Anglais 5e  ');
    expect(room.name).toBe('Anglais 5e');
    expect(room.moderatorCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(room.viewerCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(room.moderatorCode).not.toBe(room.viewerCode);
    const { Client } = await import('pg');
    const db = new Client({ connectionString: process.env.ESTRADE_TEST_DATABASE_URL });
    await db.connect();
    const { rows } = await db.query('SELECT * FROM rooms WHERE id = $1', [room.roomId]);
    await db.end();
    expect(JSON.stringify(rows)).not.toContain(room.moderatorCode);
    expect(JSON.stringify(rows)).not.toContain(room.viewerCode);
  });

  it('tells the join page the room name and the role the code gives', async () => {
    const room = await classroom.createRoom('Chimie');
    expect((await server.http('GET', `/api/join/${room.moderatorCode}`)).json).toEqual({
      roomName: 'Chimie',
      role: 'moderator',
      passwordRequired: false,
    });
    expect((await server.http('GET', `/api/join/${room.viewerCode}`)).json).toEqual({
      roomName: 'Chimie',
      role: 'viewer',
      passwordRequired: false,
    });
  });

  it('gives the role from the code, never from the request', async () => {
    const room = await classroom.createRoom();
    const res = await server.http('POST', `/api/join/${room.viewerCode}`, {
      name: 'Eve',
      audioMode: 'microphone',
      role: 'moderator',
    });
    expect(res.status).toBe(400);
    const student = await classroom.join(room.viewerCode, 'Eve');
    expect(student.snapshots[0].state.participants[student.id].role).toBe('viewer');
  });

  it.each([
    ['an empty room name', { name: '   ' }],
    ['a room name with control characters', { name: 'Maths\u0000' }],
    ['an over-long room name', { name: 'x'.repeat(101) }],
    ['no name at all', {}],
  ])('refuses %s', async (_why, body) => {
    const res = await server.http('POST', '/api/rooms', body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('malformed');
  });

  it('refuses malformed JSON with a clear error, not a stack trace', async () => {
    const res = await server.http('POST', '/api/rooms', '{"name":');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).not.toMatch(/at .*\.js/);
  });

  it.each([
    ['an unknown code', 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed code', '../../etc/passwd'],
    ['a too long code', 'A'.repeat(500)],
  ])('refuses %s with invalid_code and logs nobody in', async (_why, code) => {
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { name: 'Zoé', audioMode: 'microphone' }],
    ] as const) {
      const res = await server.http(method, `/api/join/${encodeURIComponent(code)}`, body);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ code: 'invalid_code', message: expect.any(String) });
    }
  });

  it.each([
    ['a name with control characters', { name: 'Zoé\u0007', audioMode: 'microphone' }],
    ['an over-long name', { name: 'Z'.repeat(65), audioMode: 'microphone' }],
    ['a blank name', { name: '  ', audioMode: 'microphone' }],
    ['an unknown audio mode', { name: 'Zoé', audioMode: 'loud' }],
  ])('refuses to join with %s and changes nothing', async (_why, body) => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Roux');
    const before = await server.log(teacher.meetingId);
    const res = await server.http('POST', `/api/join/${room.viewerCode}`, body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('malformed');
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });

  it('trims the display name', async () => {
    const room = await classroom.createRoom();
    const s = await classroom.join(room.viewerCode, '   Inès   ');
    expect(s.snapshots[0].state.participants[s.id].name).toBe('Inès');
  });

  it('closes a room for good when a moderator ends it with closeRoom; its links then say so', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    expect(await teacher.send({ type: 'meeting.end', closeRoom: true })).toEqual({ ok: true });
    await student.waitForEvent((e) => e.event.type === 'meeting.ended');
    for (const code of [room.viewerCode, room.moderatorCode]) {
      const res = await server.http('GET', `/api/join/${code}`);
      expect(res.status).toBe(410);
      expect(res.json.code).toBe('room_closed');
      expect((await server.http('POST', `/api/join/${code}`, { name: 'Late', audioMode: 'microphone' })).status).toBe(
        410,
      );
    }
  });

  it('starts a fresh meeting after one ended without closing the room', async () => {
    const { room, teacher } = await classroom.withTeacherAndStudent();
    await teacher.send({ type: 'meeting.end', closeRoom: false });
    const next = await classroom.join(room.viewerCode, 'Next week');
    expect(next.meetingId).not.toBe(teacher.meetingId);
    expect(Object.keys(next.snapshots[0].state.participants)).toEqual([next.id]);
  });

  it('serves the web app for deep links, and JSON 404s under /api', async () => {
    const page = await fetch(`${server.url}/j/whatever`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect((await server.http('GET', '/api/nope')).status).toBe(404);
  });
});
