import { annotationsOf, SOCKET, WHITEBOARD_LIMITS, type Shape } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';

let counter = 0;
const rect = (over: Partial<Shape> = {}): Shape => ({
  id: `shape-${Date.now().toString(36)}-${++counter}`,
  kind: 'rectangle',
  points: [
    [100, 100],
    [300, 200],
  ],
  colour: '#e03131',
  size: 4,
  fill: false,
  ...over,
});

/** What a client receives on a batched live message, flattened. */
function received(client: TestClient, name: string): unknown[] {
  const got: unknown[] = [];
  client.socket.on(name, (batch: unknown[]) => got.push(...batch));
  return got;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the whiteboard (real server, socket.io clients)', () => {
  const { server, classroom } = liveClassroom();

  /** A class on page 2 of the default deck: the teacher presents; two students. */
  async function onPage2() {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Roux');
    const nina = await classroom.join(room.viewerCode, 'Nina');
    const omar = await classroom.join(room.viewerCode, 'Omar');
    const presentationId = teacher.snapshots[0].state.slides.current!;
    expect(await teacher.send({ type: 'slide.goto', presentationId, page: 2 })).toEqual({ ok: true });
    return { room, teacher, nina, omar, where: { presentationId, page: 2 } };
  }

  const logLength = async (c: TestClient) => (await server.log(c.meetingId)).length;

  it('lets the presenter draw; everyone gets the shape, and a late joiner gets it in the snapshot', async () => {
    const { room, teacher, nina, where } = await onPage2();
    const shape = rect();
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [shape] })).toEqual({ ok: true });
    const added = await nina.waitForEvent((e) => e.event.type === 'annotations.added');
    expect(added.event).toEqual({
      type: 'annotations.added',
      ...where,
      annotations: [{ ...shape, author: teacher.id }],
    });
    expect(added.actor).toBe(teacher.id);
    const late = await classroom.join(room.viewerCode, 'Inès');
    expect(annotationsOf(late.snapshots[0].state.whiteboard, where.presentationId, 2)).toEqual([
      { ...shape, author: teacher.id },
    ]);
    // Another page holds nothing.
    expect(annotationsOf(late.snapshots[0].state.whiteboard, where.presentationId, 1)).toEqual([]);
  });

  it("refuses a viewer's drawing unless multi-user mode is on and the whiteboard is not locked", async () => {
    const { teacher, nina, where } = await onPage2();
    const before = await logLength(teacher);
    expect(await nina.send({ type: 'annotation.add', ...where, shapes: [rect()] })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await nina.send({ type: 'whiteboard.set-multi-user', enabled: true })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    // Strokes in progress too: the live channel asks the same rule.
    const draft = { ...where, offset: 0, shape: { ...rect(), kind: 'pencil', points: [[1, 1]] } };
    expect(await nina.socket.timeout(5000).emitWithAck(SOCKET.annotationDraft, draft)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await logLength(teacher)).toBe(before);

    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    const hers = rect();
    expect(await nina.send({ type: 'annotation.add', ...where, shapes: [hers] })).toEqual({ ok: true });
    expect(await nina.socket.timeout(5000).emitWithAck(SOCKET.annotationDraft, draft)).toEqual({ ok: true });

    expect(await teacher.send({ type: 'locks.update', locks: { whiteboard: true } })).toEqual({ ok: true });
    const locked = await logLength(teacher);
    expect(await nina.send({ type: 'annotation.add', ...where, shapes: [rect()] })).toMatchObject({
      ok: false,
      code: 'locked',
    });
    expect(await nina.send({ type: 'annotation.remove', ...where, ids: [hers.id] })).toMatchObject({
      ok: false,
      code: 'locked',
    });
    expect(await nina.socket.timeout(5000).emitWithAck(SOCKET.annotationDraft, draft)).toMatchObject({
      ok: false,
      code: 'locked',
    });
    expect(await logLength(teacher)).toBe(locked);
    // The teacher (a moderator, and the presenter) is never locked.
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [rect()] })).toEqual({ ok: true });

    // Multi-user off: the viewer is refused again, even with the lock lifted.
    expect(await teacher.send({ type: 'locks.update', locks: { whiteboard: false } })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: false })).toEqual({ ok: true });
    expect(await nina.send({ type: 'annotation.clear-mine', ...where })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });

  it("keeps a viewer off other people's shapes and off pages not on screen; the presenter may touch anyone's", async () => {
    const { room, teacher, nina, omar, where } = await onPage2();
    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    const teachers = rect();
    const ninas = rect();
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [teachers] })).toEqual({ ok: true });
    expect(await nina.send({ type: 'annotation.add', ...where, shapes: [ninas] })).toEqual({ ok: true });
    const before = await logLength(teacher);

    const moved = {
      ...teachers,
      points: [
        [0, 0],
        [10, 10],
      ],
    } as Shape;
    for (const command of [
      { type: 'annotation.update', ...where, shape: moved },
      { type: 'annotation.remove', ...where, ids: [teachers.id] },
      { type: 'annotation.remove', ...where, ids: [ninas.id, teachers.id] },
    ]) {
      expect(await omar.send(command)).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(await omar.send({ type: 'annotation.clear-all', ...where })).toMatchObject({ ok: false, code: 'forbidden' });
    // Nothing of his to clear: no event.
    expect(await omar.send({ type: 'annotation.clear-mine', ...where })).toEqual({ ok: true });
    // Only the page on screen.
    expect(await omar.send({ type: 'annotation.add', ...where, page: 3, shapes: [rect()] })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await logLength(teacher)).toBe(before);

    // The presenter moves Nina's shape and erases it; Nina's undo of it finds nothing to do.
    const hersMoved = {
      ...ninas,
      points: [
        [400, 400],
        [500, 450],
      ],
    } as Shape;
    expect(await teacher.send({ type: 'annotation.update', ...where, shape: hersMoved })).toEqual({ ok: true });
    const updated = await nina.waitForEvent((e) => e.event.type === 'annotation.updated');
    expect(updated.event).toEqual({ type: 'annotation.updated', ...where, shape: hersMoved });
    expect(await teacher.send({ type: 'annotation.remove', ...where, ids: [ninas.id] })).toEqual({ ok: true });
    expect(await nina.send({ type: 'annotation.remove', ...where, ids: [ninas.id] })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    // Clear all empties the page for everyone.
    expect(await teacher.send({ type: 'annotation.clear-all', ...where })).toEqual({ ok: true });
    await omar.waitForEvent((e) => e.event.type === 'annotations.cleared');
    const fresh = await classroom.join(room.viewerCode, 'Hugo');
    expect(annotationsOf(fresh.snapshots[0].state.whiteboard, where.presentationId, 2)).toEqual([]);
  });

  it('refuses malformed and oversized shapes, ids taken or unknown, and changes nothing', async () => {
    const { teacher, where } = await onPage2();
    const taken = rect();
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [taken] })).toEqual({ ok: true });
    const before = await logLength(teacher);
    const long = Array.from({ length: WHITEBOARD_LIMITS.pointsPerStroke + 1 }, (_, i) => [i % 700, 10]);
    const malformed: unknown[] = [
      rect({
        points: [
          [NaN, 1],
          [2, 3],
        ],
      } as Partial<Shape>),
      {
        ...rect(),
        points: [
          ['Infinity', 1],
          [2, 3],
        ],
      },
      { ...rect(), kind: 'flamethrower' },
      { ...rect(), kind: 'pencil', points: long },
      { ...rect(), kind: 'text', text: 'x'.repeat(WHITEBOARD_LIMITS.textLength + 1) },
      { ...rect(), colour: 'javascript:alert(1)' },
      { ...rect(), id: '<script>' },
      { ...rect(), author: teacher.id },
      null,
    ];
    for (const shape of malformed) {
      expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [shape] })).toMatchObject({
        ok: false,
        code: 'malformed',
      });
    }
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [] })).toMatchObject({ code: 'malformed' });
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [taken] })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    // The same new id twice in one command.
    const twice = rect();
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [twice, twice] })).toMatchObject({
      code: 'conflict',
    });
    expect(await teacher.send({ type: 'annotation.update', ...where, shape: rect() })).toMatchObject({
      code: 'not_found',
    });
    expect(
      await teacher.send({ type: 'annotation.update', ...where, shape: { ...taken, kind: 'ellipse' } }),
    ).toMatchObject({ code: 'malformed' });
    expect(await teacher.send({ type: 'annotation.remove', ...where, ids: [taken.id, 'no-such-shape'] })).toMatchObject(
      {
        code: 'not_found',
      },
    );
    for (const other of [
      { presentationId: crypto.randomUUID(), page: 1 },
      { presentationId: where.presentationId, page: 999 },
    ]) {
      expect(await teacher.send({ type: 'annotation.add', ...other, shapes: [rect()] })).toMatchObject({
        code: 'not_found',
      });
    }
    expect(await logLength(teacher)).toBe(before);
  });

  it('takes a finished stroke of the full 10,000 points, and drops a connection sending over 512 KiB', async () => {
    const { teacher, omar, where } = await onPage2();
    const points = Array.from({ length: WHITEBOARD_LIMITS.pointsPerStroke }, (_, i) => [
      (i % 700) + 0.25,
      (i % 500) + 0.75,
      0.5,
    ]);
    const stroke = { ...rect(), kind: 'pencil', points } as Shape;
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [stroke] })).toEqual({ ok: true });
    const before = await logLength(teacher);
    const closed = new Promise((resolve) => omar.socket.once('disconnect', resolve));
    omar.socket.emit(SOCKET.command, { type: 'chat.send', to: null, text: 'x'.repeat(600 * 1024) });
    await closed;
    expect(await logLength(teacher)).toBe(before);
  });

  it('holds at most 5,000 annotations on a page', async () => {
    const { teacher, where } = await onPage2();
    // 25 commands of 200: within the drawing rate once paced.
    for (let i = 0; i < WHITEBOARD_LIMITS.shapesPerPage / WHITEBOARD_LIMITS.shapesPerCommand; i++) {
      const shapes = Array.from({ length: WHITEBOARD_LIMITS.shapesPerCommand }, () => rect());
      expect(await teacher.send({ type: 'annotation.add', ...where, shapes })).toEqual({ ok: true });
    }
    const before = await logLength(teacher);
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes: [rect()] })).toMatchObject({
      ok: false,
      code: 'too_large',
    });
    expect(await logLength(teacher)).toBe(before);
    // Another page is not full.
    expect(await teacher.send({ type: 'annotation.add', ...where, page: 3, shapes: [rect()] })).toEqual({ ok: true });
  });

  it('rate-limits drawing per participant: a flood is refused, and what was accepted is all logged', async () => {
    const { teacher, where } = await onPage2();
    const before = await logLength(teacher);
    const replies = await Promise.all(
      Array.from({ length: 80 }, () => teacher.send({ type: 'annotation.add', ...where, shapes: [rect()] })),
    );
    const accepted = replies.filter((r) => r.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(40);
    expect(replies.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'too_fast')).toBe(true);
    expect(accepted).toBeLessThan(80);
    expect((await logLength(teacher)) - before).toBe(accepted);
  });

  it('relays strokes in progress to everyone else in batches, never logged', async () => {
    const { teacher, nina, omar, where } = await onPage2();
    const ninaGot = received(nina, SOCKET.annotationDraft);
    const omarGot = received(omar, SOCKET.annotationDraft);
    const before = await logLength(teacher);
    const id = rect().id;
    for (let i = 0; i < 10; i++) {
      teacher.socket.emit(SOCKET.annotationDraft, {
        ...where,
        offset: i,
        shape: { id, kind: 'pencil', points: [[10 + i, 20]], colour: '#1e1e1e', size: 3, fill: false },
      });
    }
    await pause(400);
    for (const got of [ninaGot, omarGot]) {
      expect(got).toHaveLength(10);
      expect(got.map((d) => (d as { offset: number }).offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(got[0]).toMatchObject({ from: teacher.id, ...where });
    }
    expect(await logLength(teacher)).toBe(before);
    // A whole stroke in one draft is refused: drafts carry a frame's new points.
    const big = Array.from({ length: WHITEBOARD_LIMITS.pointsPerDraft + 1 }, (_, i) => [i, 20]);
    expect(
      await teacher.socket.timeout(5000).emitWithAck(SOCKET.annotationDraft, {
        ...where,
        offset: 0,
        shape: { id, kind: 'pencil', points: big, colour: '#1e1e1e', size: 3, fill: false },
      }),
    ).toMatchObject({ ok: false, code: 'malformed' });
  });

  it("hides a viewer's cursor from other viewers under the cursors lock, never from the teacher", async () => {
    const { teacher, nina, omar, where } = await onPage2();
    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    const teacherGot = received(teacher, SOCKET.whiteboardCursor);
    const omarGot = received(omar, SOCKET.whiteboardCursor);
    const ninaGot = received(nina, SOCKET.whiteboardCursor);
    const cursor = { ...where, point: [50, 60], laser: false };
    expect(await nina.socket.timeout(5000).emitWithAck(SOCKET.whiteboardCursor, cursor)).toEqual({ ok: true });
    await pause(300);
    expect(omarGot).toEqual([{ from: nina.id, ...cursor }]);
    expect(teacherGot).toHaveLength(1);

    expect(await teacher.send({ type: 'locks.update', locks: { otherViewersCursors: true } })).toEqual({ ok: true });
    await omar.waitForEvent((e) => e.event.type === 'locks.changed');
    expect(await nina.socket.timeout(5000).emitWithAck(SOCKET.whiteboardCursor, cursor)).toEqual({ ok: true });
    await pause(300);
    expect(omarGot).toHaveLength(1); // nothing more
    expect(teacherGot).toHaveLength(2);
    // The presenter's pointer still reaches everyone.
    expect(await teacher.socket.timeout(5000).emitWithAck(SOCKET.whiteboardCursor, { ...cursor, laser: true })).toEqual(
      { ok: true },
    );
    await pause(300);
    expect(omarGot).toHaveLength(2);
    // Batches go to the whole meeting, the sender included (clients skip their own).
    expect(ninaGot.filter((c) => (c as { from: string }).from !== nina.id)).toHaveLength(1);
    // A malformed cursor is refused.
    expect(
      await nina.socket.timeout(5000).emitWithAck(SOCKET.whiteboardCursor, { ...cursor, point: [NaN, 1] }),
    ).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('keeps every annotation across a server restart, on its page', async () => {
    const { room, teacher, where } = await onPage2();
    const shapes = [
      rect(),
      rect({
        kind: 'text',
        text: 'Bonjour',
        points: [
          [10, 10],
          [200, 40],
        ],
      }),
    ];
    expect(await teacher.send({ type: 'annotation.add', ...where, shapes })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'annotation.add', ...where, page: 3, shapes: [rect()] })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    const before = (await classroom.join(room.viewerCode, 'Avant')).snapshots[0].state.whiteboard;
    await server.restart();
    const late = await classroom.join(room.viewerCode, 'Après');
    expect(late.snapshots[0].state.whiteboard).toEqual(before);
    expect(annotationsOf(before, where.presentationId, 2)).toHaveLength(2);
  });
});
