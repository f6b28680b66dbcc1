import { COMMAND_PERMISSIONS, SOCKET, type CommandReply, type CommandType } from '@estrade/protocol';
import * as fs from 'node:fs';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';
import { corpusFile, upload } from '../testing/slides-kit';

/** Sends `n` commands at once and sorts the replies. */
async function flood(client: TestClient, n: number, command: (i: number) => unknown) {
  const started = Date.now();
  const replies = await Promise.all(Array.from({ length: n }, (_, i) => client.send(command(i))));
  return {
    ok: replies.filter((r) => r.ok).length,
    tooFast: replies.filter((r) => !r.ok && r.code === 'too_fast').length,
    other: replies.filter((r) => !r.ok && r.code !== 'too_fast'),
    ms: Date.now() - started,
  };
}

/** The most a bucket can let through in `ms`: its burst plus what refills meanwhile. */
const allowance = (type: CommandType, ms: number) => {
  const { burst, everyMs } = COMMAND_PERMISSIONS[type].rate;
  return burst + Math.ceil(ms / everyMs);
};

describe('a flood of any command is cut by its limit: refused, never logged, never broadcast', () => {
  const { server, classroom } = liveClassroom();

  const cases: { type: CommandType; command: (i: number, messageId: string) => unknown }[] = [
    {
      type: 'chat.edit',
      command: (i, messageId) => ({ type: 'chat.edit', messageId, text: `${i}`.padEnd(5000, 'x') }),
    },
    { type: 'chat.react', command: (_i, messageId) => ({ type: 'chat.react', messageId, reaction: 'heart' }) },
    { type: 'reaction.send', command: () => ({ type: 'reaction.send', reaction: 'applause' }) },
    { type: 'hand.raise', command: () => ({ type: 'hand.raise' }) },
    { type: 'hand.lower', command: () => ({ type: 'hand.lower' }) },
    { type: 'status.set', command: (i) => ({ type: 'status.set', status: i % 2 ? 'away' : null }) },
    {
      type: 'audio.set-mode',
      command: (i) => ({ type: 'audio.set-mode', mode: i % 2 ? 'listen-only' : 'microphone' }),
    },
    { type: 'chat.send', command: (i) => ({ type: 'chat.send', to: null, text: `spam ${i}` }) },
  ];

  it.each(cases)('$type × 300', async ({ type, command }) => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    expect(await student.send({ type: 'chat.send', to: null, text: 'à corriger' })).toEqual({ ok: true });
    const message = await teacher.waitForEvent((e) => e.event.type === 'chat.sent');
    const messageId = (message.event as { messageId: string }).messageId;
    await new Promise((r) => setTimeout(r, 1100)); // the chat bucket refills after that first message
    const logBefore = (await server.log(student.meetingId)).length;
    const eventsBefore = teacher.events.length;

    const r = await flood(student, 300, (i) => command(i, messageId));
    expect(r.other).toEqual([]);
    expect(r.ok).toBeGreaterThanOrEqual(1);
    expect(r.ok).toBeLessThanOrEqual(allowance(type, r.ms));
    expect(r.tooFast).toBe(300 - r.ok);

    await new Promise((r) => setTimeout(r, 300));
    const logged = (await server.log(student.meetingId)).length - logBefore;
    expect(logged).toBeLessThanOrEqual(r.ok);
    expect(teacher.events.length - eventsBefore).toBeLessThanOrEqual(r.ok);
    // Someone else is not slowed by it.
    expect(await teacher.send({ type: 'reaction.send', reaction: 'happy' })).toEqual({ ok: true });
  });

  it('relays a few "typing…" signals and drops a flood of them', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    let relayed = 0;
    teacher.socket.on(SOCKET.chatTyping, () => relayed++);
    const started = Date.now();
    for (let i = 0; i < 1000; i++) student.socket.emit(SOCKET.chatTyping, { to: null });
    await new Promise((r) => setTimeout(r, 1000));
    expect(relayed).toBeGreaterThanOrEqual(1);
    expect(relayed).toBeLessThanOrEqual(3 + Math.ceil((Date.now() - started) / 1000));
  });

  it('limits every live request, and answers a message nobody handles', async () => {
    const { student } = await classroom.withTeacherAndStudent();
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => student.request(SOCKET.mediaToken) as Promise<CommandReply>),
    );
    expect(replies.filter((r) => r.ok).length).toBeLessThanOrEqual(12);
    expect(replies.filter((r) => !r.ok && r.code === 'too_fast').length).toBeGreaterThanOrEqual(88);
    const history = await Promise.all(
      Array.from({ length: 100 }, () => student.socket.timeout(5000).emitWithAck(SOCKET.chatHistory, { limit: 50 })),
    );
    expect(history.filter((r: CommandReply) => !r.ok && r.code === 'too_fast').length).toBeGreaterThanOrEqual(85);
    for (const name of ['no.such.message', 'constructor', '__proto__', 'toString']) {
      expect(await student.request(name)).toMatchObject({ ok: false, code: 'unknown_command' });
    }
  });

  it('refuses a burst of reconnections by one participant', async () => {
    const { student } = await classroom.withTeacherAndStudent();
    const codes: (string | null)[] = [];
    for (let i = 0; i < 14; i++) {
      student.close();
      student.fatal = null;
      await student.connect();
      codes.push(student.fatal ? (student.fatal as { code: string }).code : null);
    }
    expect(codes.filter((c) => c === 'too_fast').length).toBeGreaterThanOrEqual(2);
    expect(codes.every((c) => c === null || c === 'too_fast')).toBe(true);
  });

  it('refuses text with a NUL or a lone surrogate as malformed, and stores nothing', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const before = (await server.log(teacher.meetingId)).length;
    for (const text of ['a\u0000b', 'broken \ud83d', '\udc00']) {
      expect(await student.send({ type: 'chat.send', to: null, text })).toMatchObject({ ok: false, code: 'malformed' });
      expect(await teacher.send({ type: 'guests.message', text })).toMatchObject({ ok: false, code: 'malformed' });
      const join = await server.http('POST', `/api/join/${room.viewerCode}`, {
        name: `Zoé${text}`,
        audioMode: 'microphone',
      });
      expect(join.status).toBe(400);
      expect(join.json.code).toBe('malformed');
      const create = await server.http('POST', '/api/rooms', { name: `Salle ${text}` });
      expect(create.status).toBe(400);
      expect(create.json.code).toBe('malformed');
    }
    const pdf = fs.readFileSync(corpusFile('documents/tracemonkey.pdf'));
    // A lone surrogate cannot even be put in a URL: only NUL can reach an upload's file name.
    const up = await upload(teacher, pdf, 'cours\u0000.pdf');
    expect(up.status).toBe(400);
    expect(up.json.code).toBe('malformed');
    expect((await server.log(teacher.meetingId)).length).toBe(before);
    expect((await server.http('GET', '/api/health')).status).toBe(200);
  });
});

describe('joins and room creation per address', () => {
  const { server, classroom } = liveClassroom({
    JOIN_BURST: '6',
    JOIN_RATE_PER_MINUTE: '6',
    ROOM_CREATION_BURST: '3',
    ROOM_CREATION_RATE_PER_HOUR: '3',
  });

  it('refuses the room beyond the allowance with too_fast (429)', async () => {
    for (let i = 0; i < 3; i++) await classroom.createRoom(`Salle ${i}`);
    const refused = await server.http('POST', '/api/rooms', { name: 'Une de trop' });
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('too_fast');
  });

  it('refuses joins beyond the allowance, lookups of the join page included', async () => {
    const res = await server.http('POST', '/api/rooms', { name: 'x' });
    // The room allowance is spent by the previous test: this block's rooms come from its first.
    expect(res.status).toBe(429);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await server.http('GET', `/api/join/${'A'.repeat(22)}`)).status);
    }
    expect(statuses.slice(0, 6)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });
});
