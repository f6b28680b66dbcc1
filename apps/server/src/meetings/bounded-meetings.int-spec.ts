import {
  annotationsOf,
  CHAT_LIMITS,
  pageWeight,
  WHITEBOARD_LIMITS,
  whiteboardBytes,
  type Shape,
} from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';

// A meeting is bounded as a whole, not only per command: many legal commands of one or several
// participants must not add up to a whiteboard, a chat or a snapshot without bound.

/** The largest snapshot a late joiner may receive from a full-but-legal meeting. */
const SNAPSHOT_BYTES = 2 * 1024 * 1024;

let counter = 0;
const id = () => `heavy-${Date.now().toString(36)}-${++counter}`;
/** A stroke of `n` points, as heavy as the protocol allows a point to be. */
function stroke(n: number): Shape {
  return {
    id: id(),
    kind: 'pencil',
    points: Array.from({ length: n }, (_, i) => [12345.678 + (i % 97), -23456.789 - (i % 89), 0.123456789]),
    colour: '#1e1e1e',
    size: 2,
    fill: false,
  };
}
/** What the attacker of the audit sent: 200 shapes, some 411 KB in one command. */
const heavyAdd = () => Array.from({ length: 200 }, () => stroke(40));

describe('a meeting bounded in bytes (real server, misbehaving socket.io clients)', () => {
  const { server, classroom } = liveClassroom();

  /** A lesson in multi-user mode on `page` of the default deck, with `n` students. */
  async function drawingLesson(n: number, page = 2) {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Roux');
    const students: TestClient[] = [];
    for (let i = 0; i < n; i++) students.push(await classroom.join(room.viewerCode, `Élève ${i + 1}`));
    const presentationId = teacher.snapshots[0].state.slides.current!;
    expect(await teacher.send({ type: 'slide.goto', presentationId, page })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    return { room, teacher, students, presentationId, where: { presentationId, page } };
  }

  it("refuses a student's flood of heavy shapes once the page is full; a late joiner's snapshot stays small", async () => {
    const { room, teacher, students, where } = await drawingLesson(1);
    const [mallory] = students;
    const replies = [];
    for (let i = 0; i < 40; i++)
      replies.push(await mallory.send({ type: 'annotation.add', ...where, shapes: heavyAdd() }));
    const accepted = replies.filter((r) => r.ok).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(40);
    expect(replies.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'too_large' });
    expect((replies.find((r) => !r.ok) as { message: string }).message).toMatch(/page holds at most/);

    const late = await classroom.join(room.viewerCode, 'Inès');
    const page = annotationsOf(late.snapshots[0].state.whiteboard, where.presentationId, where.page);
    expect(pageWeight(page).bytes).toBeLessThanOrEqual(WHITEBOARD_LIMITS.bytesPerPage);
    expect(pageWeight(page).points).toBeLessThanOrEqual(WHITEBOARD_LIMITS.pointsPerPage);
    // Measured as parsed, with every default filled in: what came over the wire was smaller still.
    expect(Buffer.byteLength(JSON.stringify(late.snapshots[0]))).toBeLessThan(SNAPSHOT_BYTES);
    // The teacher's copy agrees with the newcomer's: nothing refused was applied anywhere.
    teacher.close();
    await teacher.connect();
    expect(annotationsOf(teacher.snapshots.at(-1)!.state.whiteboard, where.presentationId, where.page)).toEqual(page);
  });

  it('refuses growing shapes past the page too: updates count like additions', async () => {
    const { students, where } = await drawingLesson(1);
    const [mallory] = students;
    const small = Array.from({ length: 200 }, () => stroke(2));
    expect(await mallory.send({ type: 'annotation.add', ...where, shapes: small })).toEqual({ ok: true });
    const replies = [];
    for (const s of small.slice(0, 60)) {
      replies.push(await mallory.send({ type: 'annotation.update', ...where, shape: { ...stroke(2_000), id: s.id } }));
      if (!replies.at(-1)!.ok) break;
    }
    expect(replies.at(-1)).toMatchObject({ ok: false, code: 'too_large' });
  });

  it("adds pages up: each page legal, the meeting's whiteboard still stops at its bound", async () => {
    const { room, teacher, students, presentationId } = await drawingLesson(2, 1);
    const refusals: { page: number; code: string; message: string }[] = [];
    for (const [i, s] of students.entries()) {
      const page = i + 1;
      if (page > 1) expect(await teacher.send({ type: 'slide.goto', presentationId, page })).toEqual({ ok: true });
      // Each student fills their page as far as it goes.
      for (;;) {
        const r = await s.send({ type: 'annotation.add', presentationId, page, shapes: heavyAdd().slice(0, 100) });
        if (!r.ok) {
          refusals.push({ page, code: r.code, message: r.message });
          break;
        }
      }
    }
    expect(refusals).toEqual([
      { page: 1, code: 'too_large', message: expect.stringMatching(/page holds at most/) },
      { page: 2, code: 'too_large', message: expect.stringMatching(/meeting is full/) },
    ]);

    // A full chat too, in letters of two bytes: the snapshot of a meeting full in every way.
    for (const s of students)
      for (let i = 0; i < 5; i++)
        expect(await s.send({ type: 'chat.send', to: null, text: 'é'.repeat(4_900) })).toEqual({ ok: true });
    const late = await classroom.join(room.viewerCode, 'Inès');
    expect(whiteboardBytes(late.snapshots[0].state.whiteboard)).toBeLessThanOrEqual(WHITEBOARD_LIMITS.bytesPerMeeting);
    expect(whiteboardBytes(late.snapshots[0].state.whiteboard)).toBeGreaterThan(
      WHITEBOARD_LIMITS.bytesPerMeeting * 0.9,
    );
    expect(Buffer.byteLength(JSON.stringify(late.snapshots[0]))).toBeLessThan(SNAPSHOT_BYTES);

    // Clearing a page makes room again.
    expect(await teacher.send({ type: 'annotation.clear-all', presentationId, page: 1 })).toEqual({ ok: true });
    expect(
      await teacher.send({ type: 'annotation.add', presentationId, page: 2, shapes: heavyAdd().slice(0, 20) }),
    ).toEqual({ ok: true });
  });

  it('holds each drawer to an ink allowance: clearing and drawing again does not grow the log without bound', async () => {
    const { teacher, students, where } = await drawingLesson(1);
    const [mallory] = students;
    const before = (await server.log(teacher.meetingId)).length;
    const replies = [];
    for (let i = 0; i < 30; i++) {
      const r = await mallory.send({ type: 'annotation.add', ...where, shapes: heavyAdd().slice(0, 40) });
      replies.push(r);
      if (!r.ok && r.code === 'too_large') {
        expect(await mallory.send({ type: 'annotation.clear-mine', ...where })).toEqual({ ok: true });
      }
      if (!r.ok && r.code === 'too_fast') break;
    }
    expect(replies.at(-1)).toMatchObject({ ok: false, code: 'too_fast' });
    const added = (await server.log(teacher.meetingId)).slice(before).filter((e) => e.type === 'annotations.added');
    // A page's worth at once (ink burst), not 30 commands' worth.
    const perAdd = JSON.stringify(heavyAdd().slice(0, 40)).length;
    expect(added.length * perAdd).toBeLessThan(WHITEBOARD_LIMITS.ink.burst + 2 * perAdd);
  });

  it("keeps a full chat's snapshot small: the last page within its bound", async () => {
    const { room, students } = await drawingLesson(3);
    const long = 'é'.repeat(4_900);
    // Three students at the chat's allowed pace (a burst of 5 each).
    for (const s of students)
      for (let i = 0; i < 5; i++)
        expect(await s.send({ type: 'chat.send', to: null, text: long })).toEqual({ ok: true });
    const late = await classroom.join(room.viewerCode, 'Inès');
    const chat = late.snapshots[0].state.chat;
    expect(chat.reduce((n, m) => n + m.text.length, 0)).toBeLessThanOrEqual(CHAT_LIMITS.snapshotChars);
    expect(chat.length).toBeGreaterThan(0);
    // Older messages are still there, page by page.
    const older = await late.request('chat.history', { before: chat[0].id, limit: 50 });
    expect(older).toMatchObject({ ok: true });
  });
});

describe('a student away in a breakout room (real server)', () => {
  const { server, classroom } = liveClassroom();

  it("cannot write in the main room's chat; back in it once the rooms close", async () => {
    const room = await classroom.createRoom();
    const teacher = await classroom.join(room.moderatorCode, 'Mme Roux');
    const lea = await classroom.join(room.viewerCode, 'Léa');
    const noe = await classroom.join(room.viewerCode, 'Noé');
    expect(await lea.send({ type: 'chat.send', to: null, text: 'avant' })).toEqual({ ok: true });
    const said = (await lea.waitForEvent((e) => e.event.type === 'chat.sent')).event as { messageId: string };
    expect(
      await teacher.send({
        type: 'breakouts.start',
        rooms: [
          { name: 'A', participantIds: [lea.id] },
          { name: 'B', participantIds: [noe.id] },
        ],
        durationMinutes: 30,
      }),
    ).toEqual({ ok: true });
    await lea.waitForEvent((e) => e.event.type === 'breakouts.started');
    const before = (await server.log(teacher.meetingId)).length;
    for (const command of [
      { type: 'chat.send', to: null, text: 'je suis encore là' },
      { type: 'chat.send', to: teacher.id, text: 'psst' },
      { type: 'chat.edit', messageId: said.messageId, text: 'modifié' },
      { type: 'chat.react', messageId: said.messageId, reaction: 'heart' },
    ]) {
      expect(await lea.send(command)).toMatchObject({
        ok: false,
        code: 'forbidden',
        message: expect.stringMatching(/breakout room/),
      });
    }
    expect((await server.log(teacher.meetingId)).length).toBe(before);
    // The teacher, not away, writes as before.
    expect(await teacher.send({ type: 'chat.send', to: null, text: 'Au travail !' })).toEqual({ ok: true });

    expect(await teacher.send({ type: 'breakouts.end' })).toEqual({ ok: true });
    await lea.waitForEvent((e) => e.event.type === 'breakouts.ended');
    expect(await lea.send({ type: 'chat.send', to: null, text: 'de retour' })).toEqual({ ok: true });
  });
});
