import { ChatHistory, type ChatMessage } from '@estrade/protocol';
import { liveClassroom, TestClient } from '../testing/classroom-kit';

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '[clic](javascript:alert(1))',
  '{{constructor.constructor("alert(1)")()}}',
  '<a href="http://127.0.0.1:1/">x</a>',
];

describe('chat (real server)', () => {
  const { server, classroom } = liveClassroom();
  const sentText = (c: TestClient) =>
    c.events.filter((e) => e.event.type === 'chat.sent').map((e) => (e.event as { text: string }).text);

  it('delivers public messages to everyone and private ones to their two ends only', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Bleu');
    const ana = await classroom.join(room.viewerCode, 'Ana');
    const ben = await classroom.join(room.viewerCode, 'Ben');
    expect(await ana.send({ type: 'chat.send', to: null, text: 'Bonjour à tous' })).toEqual({ ok: true });
    expect(await ana.send({ type: 'chat.send', to: ben.id, text: 'Tu as fait l’exercice ?' })).toEqual({ ok: true });
    await ben.waitForEvent((e) => e.event.type === 'chat.sent' && (e.event as { to: string | null }).to === ben.id);
    await teacher.waitForEvent((e) => e.event.type === 'chat.sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(sentText(ben)).toEqual(['Bonjour à tous', 'Tu as fait l’exercice ?']);
    expect(sentText(teacher)).toEqual(['Bonjour à tous']);
    // Not in the snapshot of a third participant either, moderator or not.
    const late = await classroom.join(room.viewerCode, 'Chloé');
    expect(late.snapshots[0].state.chat.map((m) => m.text)).toEqual(['Bonjour à tous']);
    const teacherTab = await new TestClient(server, teacher.session, 'teacher tab').connect();
    expect(teacherTab.snapshots[0].state.chat.map((m) => m.text)).toEqual(['Bonjour à tous']);
    teacherTab.close();
  });

  it('stores and echoes markup and script as inert text, unchanged', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const reader = await classroom.join(room.viewerCode, 'Lectrice');
    // Two senders, so the rate limit is not what this test meets.
    for (const [i, text] of XSS.entries()) {
      expect(await (i % 2 ? teacher : student).send({ type: 'chat.send', to: null, text })).toEqual({ ok: true });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(sentText(reader)).toEqual(XSS);
  });

  it('honours the chat locks; a private message to a moderator stays allowed', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'M. Rouge');
    const ana = await classroom.join(room.viewerCode, 'Ana');
    const ben = await classroom.join(room.viewerCode, 'Ben');
    await teacher.send({ type: 'locks.update', locks: { publicChat: true, privateChat: true } });
    const before = await server.log(teacher.meetingId);
    expect(await ana.send({ type: 'chat.send', to: null, text: 'Salut' })).toMatchObject({ ok: false, code: 'locked' });
    expect(await ana.send({ type: 'chat.send', to: ben.id, text: 'Psst' })).toMatchObject({
      ok: false,
      code: 'locked',
    });
    expect(await server.log(teacher.meetingId)).toEqual(before);
    expect(await ana.send({ type: 'chat.send', to: teacher.id, text: 'Monsieur ?' })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'chat.send', to: null, text: 'Silence.' })).toEqual({ ok: true });
  });

  it('edits, deletes and reacts; only the author edits, the author or a moderator deletes', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Jaune');
    const ana = await classroom.join(room.viewerCode, 'Ana');
    const ben = await classroom.join(room.viewerCode, 'Ben');
    await ana.send({ type: 'chat.send', to: null, text: 'Premier jet' });
    const sent = await ben.waitForEvent((e) => e.event.type === 'chat.sent');
    const messageId = (sent.event as { messageId: string }).messageId;
    expect(await ben.send({ type: 'chat.edit', messageId, text: 'Piraté' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await ben.send({ type: 'chat.delete', messageId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await ana.send({ type: 'chat.edit', messageId, text: 'Version finale' })).toEqual({ ok: true });
    expect(await ben.send({ type: 'chat.react', messageId, reaction: 'heart' })).toEqual({ ok: true });
    expect(await ben.send({ type: 'chat.react', messageId, reaction: 'laugh!' })).toMatchObject({
      ok: false,
      code: 'malformed',
    });
    expect(await teacher.send({ type: 'chat.delete', messageId })).toEqual({ ok: true });
    expect(await ana.send({ type: 'chat.edit', messageId, text: 'Trop tard' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    const types = (await server.log(teacher.meetingId)).map((e) => e.type).filter((t) => t.startsWith('chat.'));
    expect(types).toEqual(['chat.sent', 'chat.edited', 'chat.reaction-toggled', 'chat.deleted']);
  });

  it.each([
    ['an empty message', { type: 'chat.send', to: null, text: '   ' }, 'malformed'],
    ['a message over 5,000 characters', { type: 'chat.send', to: null, text: 'x'.repeat(5001) }, 'malformed'],
    [
      'a private message to nobody',
      { type: 'chat.send', to: '00000000-0000-4000-8000-000000000000', text: 'Allô' },
      'not_found',
    ],
    [
      'a reply to an unknown message',
      { type: 'chat.send', to: null, text: 'Oui', replyTo: '00000000-0000-4000-8000-000000000000' },
      'not_found',
    ],
    ['a viewer clearing the chat', { type: 'chat.clear' }, 'forbidden'],
  ])('refuses %s and changes nothing', async (_why, payload, code) => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const before = await server.log(teacher.meetingId);
    expect(await student.send(payload)).toMatchObject({ ok: false, code });
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });

  it('accepts exactly 5,000 characters', async () => {
    const { student } = await classroom.withTeacherAndStudent();
    expect(await student.send({ type: 'chat.send', to: null, text: 'é'.repeat(5000) })).toEqual({ ok: true });
  });

  it('slows down a participant who sends too fast, with a clear message', async () => {
    const { student } = await classroom.withTeacherAndStudent();
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push(await student.send({ type: 'chat.send', to: null, text: `spam ${i}` }));
    expect(replies.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(replies[5]).toMatchObject({ ok: false, code: 'too_fast', message: expect.stringContaining('too fast') });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await student.send({ type: 'chat.send', to: null, text: 'calmé' })).toEqual({ ok: true });
  });

  it('lets a moderator clear the public chat; everyone sees it cleared', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    await student.send({ type: 'chat.send', to: null, text: 'bêtise' });
    expect(await teacher.send({ type: 'chat.clear' })).toEqual({ ok: true });
    await student.waitForEvent((e) => e.event.type === 'chat.cleared');
    const fresh = await new TestClient(server, student.session, 'again').connect();
    expect(fresh.snapshots[0].state.chat).toEqual([]);
    expect(fresh.snapshots[0].state.chatClearedAt).not.toBeNull();
    fresh.close();
  });

  it('pages the history newest first for a late joiner, and keeps it across a restart', async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'M. Vert');
    // Twelve students send five each: 60 messages, within the rate limit.
    for (let s = 0; s < 12; s++) {
      const student = await classroom.join(room.viewerCode, `Élève ${s}`);
      for (let i = 0; i < 5; i++) await student.send({ type: 'chat.send', to: null, text: `${s}-${i}` });
    }
    await server.restart();
    const late = await classroom.join(room.viewerCode, 'Retardataire');
    const shown = late.snapshots[0].state.chat;
    expect(shown).toHaveLength(50);
    expect(shown.at(-1)!.text).toBe('11-4');
    const page = async (before: string | null) => {
      const reply = await late.socket.timeout(5000).emitWithAck('chat.history', { before, limit: 20 });
      return ChatHistory.parse(reply.result);
    };
    const first = await page(shown[0].id);
    expect(first.messages.map((m: ChatMessage) => m.text)).toEqual([
      '1-4',
      '1-3',
      '1-2',
      '1-1',
      '1-0',
      '0-4',
      '0-3',
      '0-2',
      '0-1',
      '0-0',
    ]);
    expect(first.more).toBe(false);
    expect((await late.socket.timeout(5000).emitWithAck('chat.history', { before: null, limit: 999 })).ok).toBe(false);
    teacher.close();
  });
});
