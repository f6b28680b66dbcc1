import { CommandReply, SOCKET, type SlidePanRelay, type Viewport } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';

const zoomed = (x: number): Viewport => ({ fit: 'page', zoom: 2, x, y: 0.5 });

/** Sends a live message as any client could, and returns the server's answer. */
async function ask(client: TestClient, name: string, body?: unknown): Promise<CommandReply> {
  const args = body === undefined ? [] : [body];
  return CommandReply.parse(await client.socket.timeout(5_000).emitWithAck(name, ...args));
}

describe('the live channel', () => {
  const { server, classroom } = liveClassroom();

  it("relays the presenter's drag live to the others and logs only its end", async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const deck = teacher.snapshots[0].state.slides.current!;
    const relayed: SlidePanRelay[] = [];
    student.socket.on(SOCKET.slidePan, (r: SlidePanRelay) => relayed.push(r));
    let echoed = 0;
    teacher.socket.on(SOCKET.slidePan, () => echoed++);
    const before = (await server.log(teacher.meetingId)).length;

    // A drag of 3 s: a position every 60 ms, as the web app sends them, then the end.
    const steps = 50;
    for (let i = 1; i <= steps; i++) {
      expect(await ask(teacher, SOCKET.slidePan, { presentationId: deck, viewport: zoomed(i / steps) })).toEqual({
        ok: true,
      });
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(await teacher.send({ type: 'slide.viewport', presentationId: deck, viewport: zoomed(1) })).toEqual({
      ok: true,
    });
    await student.waitForEvent((e) => e.event.type === 'slide.viewport-changed');

    expect(relayed).toHaveLength(steps);
    expect(relayed.at(-1)).toEqual({ from: teacher.id, presentationId: deck, viewport: zoomed(1) });
    expect(echoed).toBe(0); // the presenter's own screen already shows it
    const after = await server.log(teacher.meetingId);
    expect(after.slice(before).map((e) => e.type)).toEqual(['slide.viewport-changed']);
  });

  it('refuses a drag from anyone but the presenter, on a presentation not on screen, or malformed, and relays nothing', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const deck = teacher.snapshots[0].state.slides.current!;
    let relayed = 0;
    teacher.socket.on(SOCKET.slidePan, () => relayed++);
    student.socket.on(SOCKET.slidePan, () => relayed++);
    expect(await ask(student, SOCKET.slidePan, { presentationId: deck, viewport: zoomed(0.2) })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(
      await ask(teacher, SOCKET.slidePan, { presentationId: crypto.randomUUID(), viewport: zoomed(0.2) }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    for (const body of [
      undefined,
      { presentationId: deck },
      { presentationId: deck, viewport: { ...zoomed(0.2), zoom: 50 } },
      { presentationId: deck, viewport: zoomed(0.2), extra: true },
      'a string',
    ]) {
      expect(await ask(teacher, SOCKET.slidePan, body)).toMatchObject({ ok: false, code: 'malformed' });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(relayed).toBe(0);
  });

  it('answers typed requests, refuses malformed ones and unknown names, and limits a flood of drags', async () => {
    const { teacher } = await classroom.withTeacherAndStudent();
    const access = await ask(teacher, SOCKET.presentationAccess);
    expect(access).toMatchObject({ ok: true, result: { access: expect.any(String), limits: expect.any(Object) } });
    expect(await ask(teacher, SOCKET.presentationAccess, { extra: 1 })).toMatchObject({ ok: false, code: 'malformed' });
    expect(await ask(teacher, SOCKET.chatHistory, { before: 'not-an-id', limit: 5 })).toMatchObject({
      ok: false,
      code: 'malformed',
    });
    expect(await ask(teacher, 'slide.teleport', {})).toMatchObject({ ok: false, code: 'unknown_command' });

    const deck = teacher.snapshots[0].state.slides.current!;
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => ask(teacher, SOCKET.slidePan, { presentationId: deck, viewport: zoomed(0.5) })),
    );
    const refused = replies.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThan(50);
    expect(refused.every((r) => !r.ok && r.code === 'too_fast')).toBe(true);
  });
});
