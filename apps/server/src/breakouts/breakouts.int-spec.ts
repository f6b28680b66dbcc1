import * as Y from 'yjs';
import { dispose } from '@livekit/rtc-node';
import {
  NOTES_FRAGMENT,
  toBase64,
  type BreakoutSession,
  type Breakouts,
  type MediaToken,
  type MeetingState,
} from '@estrade/protocol';
import { liveClassroom, livekitGrant, TestClient, type Classroom } from '../testing/classroom-kit';
import { TrackSource } from 'livekit-server-sdk';
import { countAudioFrames, mediaBot, until } from '../testing/media-bot';

// One "minute" is one second here: durations and extensions are in minutes.
const MINUTE = 1000;

/** Enters a breakout room through the main meeting's socket and connects to the room's meeting. */
async function enter(classroom: Classroom, main: TestClient, roomId: string): Promise<TestClient> {
  const reply = await main.request('breakout.join', { roomId });
  if (!reply.ok) throw new Error(`${main.name} could not enter: ${reply.code} ${reply.message}`);
  const session = reply.result as BreakoutSession;
  const client = new TestClient(main.server, session, `${main.name} (room)`);
  classroom.clients.push(client);
  return client.connect();
}

/** The main meeting's state as the teacher's client has folded it: the last snapshot of a fresh connection. */
async function stateOf(classroom: Classroom, main: TestClient): Promise<MeetingState> {
  const again = new TestClient(main.server, main.session, `${main.name} (again)`);
  classroom.clients.push(again);
  await again.connect();
  again.close();
  return again.snapshots[0].state;
}

/** Writes a line in a room's shared notes, as the web app's editor would. */
async function writeNotes(client: TestClient, text: string) {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(NOTES_FRAGMENT).insert(0, [p]);
  const reply = await client.request('notes.update', { update: toBase64(Y.encodeStateAsUpdate(doc)) });
  expect(reply).toEqual({ ok: true });
}

describe('breakout rooms (real server, PostgreSQL and LiveKit)', () => {
  const { server, classroom } = liveClassroom({ MEETING_MINUTE_SECONDS: '1' });
  afterAll(() => dispose());
  const lk = () => server.livekit();

  async function lesson() {
    const room = await classroom.createRoom('Histoire 4e B');
    const teacher = await classroom.join(room.moderatorCode, 'Mme Martin');
    const students = [];
    for (const name of ['Léa', 'Noé', 'Inès', 'Hugo']) students.push(await classroom.join(room.viewerCode, name));
    return { room, teacher, students };
  }

  const start = (teacher: TestClient, groups: string[][], over: Record<string, unknown> = {}) =>
    teacher.send({
      type: 'breakouts.start',
      rooms: groups.map((ids, i) => ({ name: `Groupe ${i + 1}`, participantIds: ids })),
      durationMinutes: 30,
      ...over,
    });

  async function opened(teacher: TestClient): Promise<Breakouts> {
    await teacher.waitForEvent((x) => x.event.type === 'breakouts.started');
    return (await stateOf(classroom, teacher)).breakouts!;
  }

  it('refuses every bad start and every command without rooms, changing nothing', async () => {
    const { teacher, students } = await lesson();
    const [lea, noe] = students;
    const before = await server.log(teacher.meetingId);
    expect(await start(lea, [[lea.id], [noe.id]])).toMatchObject({ ok: false, code: 'forbidden' });
    for (const bad of [
      { rooms: [{ name: 'Seul', participantIds: [] }], durationMinutes: 10 },
      {
        rooms: Array.from({ length: 17 }, (_, i) => ({ name: `G${i}`, participantIds: [] })),
        durationMinutes: 10,
      },
      {
        rooms: [
          { name: 'A', participantIds: [] },
          { name: ' a ', participantIds: [] },
        ],
        durationMinutes: 10,
      },
      {
        rooms: [
          { name: 'A', participantIds: [lea.id] },
          { name: 'B', participantIds: [lea.id] },
        ],
        durationMinutes: 10,
      },
      {
        rooms: [
          { name: 'A', participantIds: [] },
          { name: 'B', participantIds: [] },
        ],
        durationMinutes: 0,
      },
      {
        rooms: [
          { name: 'A', participantIds: [] },
          { name: 'B', participantIds: [] },
        ],
        durationMinutes: 241,
      },
      {
        rooms: [
          { name: '', participantIds: [] },
          { name: 'B', participantIds: [] },
        ],
        durationMinutes: 5,
      },
      {
        rooms: [
          { name: 'A', participantIds: ['nope'] },
          { name: 'B', participantIds: [] },
        ],
        durationMinutes: 5,
      },
      {
        rooms: [
          { name: 'x'.repeat(61), participantIds: [] },
          { name: 'B', participantIds: [] },
        ],
        durationMinutes: 5,
      },
    ]) {
      expect(await teacher.send({ type: 'breakouts.start', ...bad })).toMatchObject({ ok: false, code: 'malformed' });
    }
    expect(await start(teacher, [['2b7c6a3e-9d0f-4b7e-8a55-0f1c2d3e4f50'], []])).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    for (const command of [
      { type: 'breakouts.extend', minutes: 5 },
      { type: 'breakouts.move', participantId: lea.id, roomId: teacher.meetingId },
      { type: 'breakouts.broadcast', text: 'Encore 5 minutes' },
      { type: 'breakouts.capture' },
      { type: 'breakouts.end' },
    ]) {
      expect(await teacher.send(command)).toMatchObject({ ok: false, code: 'not_found' });
      expect(await lea.send(command)).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(await lea.request('breakout.join', { roomId: teacher.meetingId })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await lea.request('breakout.join', { roomId: 'x' })).toMatchObject({ ok: false, code: 'malformed' });
    expect(await lea.request('breakout.leave')).toMatchObject({ ok: false, code: 'not_found' });
    expect(await server.log(teacher.meetingId)).toEqual(before);
  });

  it('opens rooms as meetings with LiveKit rooms; a student is heard only in their own room, and cannot enter another', async () => {
    const { teacher, students } = await lesson();
    const [lea, noe, ines, hugo] = students;
    // Léa holds a main-room token from before the rooms open, as a tab would.
    const kept = ((await lea.request('media.token')) as { result: MediaToken }).result;
    expect(
      await start(teacher, [
        [lea.id, noe.id],
        [ines.id, hugo.id],
      ]),
    ).toEqual({ ok: true });
    const b = await opened(teacher);
    const [one, two] = b.rooms;
    expect(b.rooms.map((r) => r.name)).toEqual(['Groupe 1', 'Groupe 2']);
    expect(b.assigned).toEqual({ [lea.id]: one.id, [noe.id]: one.id, [ines.id]: two.id, [hugo.id]: two.id });
    // A second start while they run is refused.
    expect(await start(teacher, [[], []])).toMatchObject({ ok: false, code: 'conflict' });

    // Each room is a meeting (child of the main one) with its LiveKit room.
    const rows = await server.rows<{ id: string; parent_id: string }>(
      'SELECT id, parent_id FROM meetings WHERE parent_id = $1 ORDER BY room_name',
      [teacher.meetingId],
    );
    expect(rows.map((r) => r.id)).toEqual([one.id, two.id]);
    const names = await until(
      async () => (await lk().listRooms()).map((r) => r.name),
      (ns) => ns.includes(one.id) && ns.includes(two.id),
    );
    expect(names).toEqual(expect.arrayContaining([one.id, two.id]));

    // Assigned: no media in the main room any more, neither a new token nor the kept one.
    expect(await lea.request('media.token')).toMatchObject({ ok: false, code: 'forbidden' });
    const intruder = await import('@livekit/rtc-node').then(({ Room }) => new Room());
    classroom.onClose(() => intruder.disconnect());
    await intruder.connect(kept.url, kept.token, { autoSubscribe: false, dynacast: false }).catch(() => undefined);
    const inMain = await until(
      async () => (await lk().listParticipants(teacher.meetingId)).map((p) => p.identity),
      (ids) => !ids.includes(lea.id),
    );
    expect(inMain).not.toContain(lea.id);

    // Not her room; not a room at all.
    expect(await lea.request('breakout.join', { roomId: two.id })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await lea.request('breakout.join', { roomId: teacher.meetingId })).toMatchObject({
      ok: false,
      code: 'not_found',
    });

    const leaRoom = await enter(classroom, lea, one.id);
    const noeRoom = await enter(classroom, noe, one.id);
    const inesRoom = await enter(classroom, ines, two.id);
    const snap = leaRoom.snapshots[0];
    expect(snap.state.breakoutOf).toEqual({ parentId: teacher.meetingId, number: 1, name: 'Groupe 1' });
    expect(snap.state.roomName).toBe('Groupe 1');
    // The first one in presents, and everyone may draw.
    expect(snap.state.presenterId).toBe(lea.id);
    expect(snap.state.whiteboard.multiUser).toBe(true);
    await teacher.waitForEvent((e) => e.event.type === 'breakouts.entered' && e.event.participantId === ines.id);

    // Media: the room's token is for the room; Noé hears Léa there, Inès (other room) does not.
    const leaBot = await mediaBot(leaRoom);
    classroom.onClose(leaBot.close);
    expect(livekitGrant(leaBot.token.token).room).toBe(one.id);
    const noeBot = await mediaBot(noeRoom, { autoSubscribe: true });
    classroom.onClose(noeBot.close);
    const inesBot = await mediaBot(inesRoom, { autoSubscribe: true });
    classroom.onClose(inesBot.close);
    const teacherBot = await mediaBot(teacher, { autoSubscribe: true });
    classroom.onClose(teacherBot.close);
    const noeHears = countAudioFrames(noeBot.room);
    const inesHears = countAudioFrames(inesBot.room);
    const teacherHears = countAudioFrames(teacherBot.room);
    await leaBot.publishMicrophone();
    await until(
      async () => noeHears.from(lea.id),
      (n) => n > 0,
    );
    expect(noeHears.from(lea.id)).toBeGreaterThan(0);
    expect(inesHears.from(lea.id)).toBe(0);
    expect(teacherHears.from(lea.id)).toBe(0);

    // A student stays in her room until it closes.
    expect(await lea.request('breakout.leave')).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('lets moderators visit any room and come back, message all rooms, extend, move someone, and brings everyone and their work back at the end', async () => {
    const { teacher, students } = await lesson();
    const [lea, noe, ines, hugo] = students;
    expect(
      await start(
        teacher,
        [
          [lea.id, noe.id],
          [ines.id, hugo.id],
        ],
        { durationMinutes: 60, language: 'fr' },
      ),
    ).toEqual({ ok: true });
    const b = await opened(teacher);
    const [one, two] = b.rooms;
    const leaRoom = await enter(classroom, lea, one.id);
    const noeRoom = await enter(classroom, noe, one.id);
    const inesRoom = await enter(classroom, ines, two.id);

    // The teacher visits room 1: no main-room media meanwhile, back afterwards.
    const visit = await enter(classroom, teacher, one.id);
    expect(visit.snapshots[0].state.participants[teacher.id]).toMatchObject({ role: 'moderator', present: true });
    expect(await teacher.request('media.token')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await teacher.request('breakout.leave')).toEqual({ ok: true, result: {} });
    expect(await teacher.request('media.token')).toMatchObject({ ok: true });
    await visit.waitForEvent((e) => e.event.type === 'participant.left' && e.event.participantId === teacher.id);

    // A message to every room.
    expect(await teacher.send({ type: 'breakouts.broadcast', text: '  Plus que 5 minutes !  ' })).toEqual({ ok: true });
    for (const c of [leaRoom, inesRoom]) {
      const m = await c.waitForEvent((e) => e.event.type === 'breakout.message');
      expect(m.event).toEqual({ type: 'breakout.message', from: 'Mme Martin', text: 'Plus que 5 minutes !' });
    }
    expect(await teacher.send({ type: 'breakouts.broadcast', text: '   ' })).toMatchObject({ code: 'malformed' });

    // Extend: the end moves for everyone, by the server's clock.
    expect(await teacher.send({ type: 'breakouts.extend', minutes: 5 })).toEqual({ ok: true });
    const extended = await lea.waitForEvent((e) => e.event.type === 'breakouts.extended');
    expect(Date.parse((extended.event as { endsAt: string }).endsAt) - Date.parse(b.endsAt)).toBe(5 * MINUTE);
    expect(await teacher.send({ type: 'breakouts.extend', minutes: 241 })).toMatchObject({ code: 'malformed' });

    // Move Noé to room 2: out of room 1 for good (his old room session cannot come back).
    expect(
      await teacher.send({ type: 'breakouts.move', participantId: noe.id, roomId: teacher.meetingId }),
    ).toMatchObject({
      code: 'not_found',
    });
    expect(await teacher.send({ type: 'breakouts.move', participantId: noe.id, roomId: two.id })).toEqual({ ok: true });
    await noeRoom.waitForEvent(
      (e) => e.event.type === 'participant.left' && e.event.participantId === noe.id && e.event.reason === 'removed',
    );
    const back = new TestClient(server, noeRoom.session, 'Noé (old room)');
    classroom.clients.push(back);
    await back.connect();
    expect(back.fatal?.code).toBe('unauthenticated');
    expect(await noe.request('breakout.join', { roomId: one.id })).toMatchObject({ code: 'forbidden' });
    const noeTwo = await enter(classroom, noe, two.id);
    expect(noeTwo.meetingId).toBe(two.id);

    // Work in room 1: notes and a drawing; room 2 writes notes only.
    await writeNotes(leaRoom, 'Causes de la Révolution : la dette, les idées des Lumières.');
    await writeNotes(inesRoom, 'Groupe 2 : la prise de la Bastille.');
    const deck = leaRoom.snapshots[0].state.slides;
    expect(
      await leaRoom.send({
        type: 'annotation.add',
        presentationId: deck.current,
        page: 1,
        shapes: [
          {
            id: 'frise-chronologique-1',
            kind: 'rectangle',
            points: [
              [100, 100],
              [300, 200],
            ],
            colour: '#e03131',
            size: 4,
            fill: false,
          },
        ],
      }),
    ).toEqual({ ok: true });

    // The end: everyone back, rooms closed, work in the main room.
    expect(await lea.send({ type: 'breakouts.end' })).toMatchObject({ code: 'forbidden' });
    expect(await teacher.send({ type: 'breakouts.end' })).toEqual({ ok: true });
    await lea.waitForEvent((e) => e.event.type === 'breakouts.ended');
    for (const c of [leaRoom, inesRoom, noeTwo]) {
      const end = await c.waitForEvent((e) => e.event.type === 'meeting.ended', 20_000);
      expect(end.event).toMatchObject({ reason: 'breakouts', roomClosed: false });
    }
    const names = await until(
      async () => (await stateOf(classroom, teacher)).slides.presentations.map((p) => p.name),
      (ns) => ns.includes('Groupe 1 — tableau blanc') && ns.includes('Groupe 2 — notes'),
      20_000,
    );
    expect(names).toEqual(expect.arrayContaining(['Groupe 1 — notes', 'Groupe 1 — tableau blanc', 'Groupe 2 — notes']));
    expect(names).not.toContain('Groupe 2 — tableau blanc');
    const kept = teacher.events.filter((e) => e.event.type === 'breakouts.notes-kept').map((e) => e.event);
    expect(kept).toEqual(
      expect.arrayContaining([
        {
          type: 'breakouts.notes-kept',
          roomId: one.id,
          name: 'Groupe 1',
          text: 'Causes de la Révolution : la dette, les idées des Lumières.',
        },
      ]),
    );
    // Students do not receive the kept text; it is the staff's record.
    expect(lea.events.some((e) => e.event.type === 'breakouts.notes-kept')).toBe(false);
    // Back in the main room's media, in the mode they had: granted by the server once connected.
    const leaBack = await mediaBot(lea);
    classroom.onClose(leaBack.close);
    const leaInMain = (await lk().listParticipants(lea.meetingId)).find((p) => p.identity === lea.id);
    expect(leaInMain?.permission?.canPublishSources).toEqual(expect.arrayContaining([TrackSource.MICROPHONE]));
    const rooms = await until(
      async () => (await lk().listRooms()).map((r) => r.name),
      (ns) => !ns.includes(one.id) && !ns.includes(two.id),
    );
    expect(rooms).not.toContain(one.id);
    // A closed room cannot be entered.
    expect(await lea.request('breakout.join', { roomId: one.id })).toMatchObject({ code: 'not_found' });
  });

  it('invites a late joiner to the emptiest room, and lets students choose when asked', async () => {
    const { room, teacher, students } = await lesson();
    const [lea, noe, ines] = students;
    expect(await start(teacher, [[lea.id, noe.id], [ines.id]])).toEqual({ ok: true });
    const b = await opened(teacher);
    const late = await classroom.join(room.viewerCode, 'Zoé');
    const assigned = await teacher.waitForEvent(
      (e) => e.event.type === 'breakouts.assigned' && e.event.participantId === late.id,
    );
    expect(assigned.event).toMatchObject({ roomId: b.rooms[1].id });
    expect(await teacher.send({ type: 'breakouts.end' })).toEqual({ ok: true });

    const free = await classroom.join(room.viewerCode, 'Malo');
    expect(await start(teacher, [[], []], { freeChoice: true })).toEqual({ ok: true });
    await teacher.waitForEvent((e) => e.event.type === 'breakouts.started' && e.seq > assigned.seq);
    const now = (await stateOf(classroom, teacher)).breakouts!;
    // Not assigned yet: main-room media still theirs until they choose.
    expect(await free.request('media.token')).toMatchObject({ ok: true });
    const chosen = await enter(classroom, free, now.rooms[1].id);
    expect(chosen.meetingId).toBe(now.rooms[1].id);
    const s = await stateOf(classroom, teacher);
    expect(s.breakouts!.assigned[free.id]).toBe(now.rooms[1].id);
    expect(s.breakouts!.inRoom[free.id]).toBe(now.rooms[1].id);
    // A breakout room has no breakout rooms of its own.
    const visit = await enter(classroom, teacher, now.rooms[0].id);
    expect(await start(visit, [[], []])).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('takes a removed student out of their room, and closes every room when the meeting ends', async () => {
    const { teacher, students } = await lesson();
    const [lea, noe] = students;
    expect(await start(teacher, [[lea.id], [noe.id]])).toEqual({ ok: true });
    const b = await opened(teacher);
    const leaRoom = await enter(classroom, lea, b.rooms[0].id);
    const noeRoom = await enter(classroom, noe, b.rooms[1].id);
    // From inside a room, rooms are asked for through the main meeting only.
    expect(await leaRoom.request('breakout.join', { roomId: b.rooms[0].id })).toMatchObject({ code: 'forbidden' });

    expect(await teacher.send({ type: 'participant.remove', participantId: lea.id, ban: true })).toEqual({ ok: true });
    const out = await leaRoom.waitForEvent(
      (e) => e.event.type === 'participant.left' && e.event.participantId === lea.id,
    );
    expect(out.event).toMatchObject({ reason: 'removed' });
    const back = new TestClient(server, leaRoom.session, 'Léa (room, banned)');
    classroom.clients.push(back);
    await back.connect();
    expect(back.fatal?.code).toBe('unauthenticated');

    expect(await teacher.send({ type: 'meeting.end' })).toEqual({ ok: true });
    const end = await noeRoom.waitForEvent((e) => e.event.type === 'meeting.ended', 20_000);
    expect(end.event).toMatchObject({ reason: 'breakouts' });
    const running = await server.rows('SELECT id FROM meetings WHERE parent_id = $1 AND ended_at IS NULL', [
      teacher.meetingId,
    ]);
    expect(running).toEqual([]);
  });

  it('ends by itself on time, and a restart keeps the rooms, the assignments and the remaining time', async () => {
    const { teacher, students } = await lesson();
    const [lea, noe] = students;
    expect(await start(teacher, [[lea.id], [noe.id]], { durationMinutes: 14 })).toEqual({ ok: true });
    const b = await opened(teacher);
    const leaRoom = await enter(classroom, lea, b.rooms[0].id);
    await writeNotes(leaRoom, 'Avant le redémarrage');
    await server.restart();

    const again = new TestClient(server, teacher.session, 'Mme Martin (after restart)');
    classroom.clients.push(again);
    await again.connect();
    const kept = again.snapshots[0].state.breakouts!;
    expect(kept.rooms).toEqual(b.rooms);
    expect(kept.assigned).toEqual(b.assigned);
    expect(kept.endsAt).toBe(b.endsAt);
    // The room's meeting is still there: Léa's room session reconnects to it.
    const leaBack = new TestClient(server, leaRoom.session, 'Léa (room, after restart)');
    classroom.clients.push(leaBack);
    await leaBack.connect();
    expect(leaBack.fatal).toBeNull();
    expect(leaBack.snapshots[0].state.breakoutOf?.name).toBe('Groupe 1');

    const ended = await again.waitForEvent((e) => e.event.type === 'breakouts.ended', 25_000);
    expect(ended.event).toMatchObject({ reason: 'time' });
    expect(Date.parse(ended.at)).toBeGreaterThanOrEqual(Date.parse(b.endsAt));
    expect(Date.parse(ended.at) - Date.parse(b.endsAt)).toBeLessThan(1500);
    await leaBack.waitForEvent((e) => e.event.type === 'meeting.ended', 20_000);
    const names = await until(
      async () => (await stateOf(classroom, again)).slides.presentations.map((p) => p.name),
      (ns) => ns.includes('Groupe 1 — notes'),
      20_000,
    );
    expect(names).toContain('Groupe 1 — notes');
  });
});
