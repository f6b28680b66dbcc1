import { liveClassroom } from '../testing/classroom-kit';

describe('group commit (real server)', () => {
  const { server, classroom } = liveClassroom();

  it('writes commands sent at once in batches, yet in one gap-free order everyone receives', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const others = [await classroom.join(room.viewerCode, 'Inès'), await classroom.join(room.viewerCode, 'Hugo')];
    const senders = [teacher, student, ...others];
    const before = (await server.log(teacher.meetingId)).length;
    // Five messages each (the chat's burst), all in flight together, and a refused one among them.
    const replies = await Promise.all(
      senders.flatMap((c) =>
        Array.from({ length: 5 }, (_, i) => c.send({ type: 'chat.send', to: null, text: `${c.name} ${i}` })),
      ),
    );
    const refused = await student.send({ type: 'chat.delete', messageId: crypto.randomUUID() });
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(refused).toMatchObject({ ok: false, code: 'not_found' });

    const log = await server.log(teacher.meetingId);
    expect(log).toHaveLength(before + 20);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // Each sender's messages in the order sent.
    const texts = (c: (typeof senders)[number]) =>
      c.events.filter((e) => e.event.type === 'chat.sent').map((e) => (e.event as { text: string }).text);
    for (const c of senders) {
      await c.waitForEvent(() => texts(c).length === 20);
      const seqs = c.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      for (const s of senders) {
        expect(texts(c).filter((t) => t.startsWith(`${s.name} `))).toEqual(
          [0, 1, 2, 3, 4].map((i) => `${s.name} ${i}`),
        );
      }
    }
    // Everyone saw the same order.
    expect(new Set(senders.map((c) => texts(c).join('|'))).size).toBe(1);
    // A late joiner's snapshot holds all of it.
    const late = await classroom.join(room.viewerCode, 'Zoé');
    expect(late.snapshots[0].seq).toBeGreaterThanOrEqual(log.at(-1)!.seq);
    expect(late.snapshots[0].state.chat.filter((m) => m.to === null)).toHaveLength(20);
  });
});
