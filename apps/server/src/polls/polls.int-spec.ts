import { shapeOf, type Annotation, type LoggedEvent, type Poll } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';

const custom = { type: 'poll.start', kind: 'custom', options: ['Paris', 'Lyon', 'Marseille'], multiple: false };
const answered = (e: LoggedEvent) => e.event.type === 'poll.answered';
const pollOf = (c: TestClient) =>
  c.waitForEvent((e) => e.event.type === 'poll.started').then((e) => e.event as { pollId: string });
const receipt = () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');

describe('polls (real server)', () => {
  const { server, classroom } = liveClassroom({ JOIN_BURST: '2000', LOG_LEVEL: 'debug' });

  it('runs a named poll: refusals change nothing, one answer each, changed answers, live results, publish', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const other = await classroom.join(room.viewerCode, 'Inès');
    // Tries what a student may not; its refusals count against its own rate only.
    const rogue = await classroom.join(room.viewerCode, 'Hugo');
    expect(student.snapshots[0].state.presenterId).toBe(teacher.id);
    const before = await server.log(teacher.meetingId);
    expect(await student.send({ ...custom, anonymous: false })).toMatchObject({ ok: false, code: 'forbidden' });
    for (const bad of [
      { ...custom, anonymous: false, options: ['Seule'] },
      { ...custom, anonymous: false, options: Array.from({ length: 11 }, (_, i) => `Choix ${i}`) },
      { ...custom, anonymous: false, options: ['Paris', 'x'.repeat(101)] },
      { type: 'poll.start', kind: 'letters', letters: 7, multiple: false, anonymous: false },
      { type: 'poll.start', kind: 'typed', multiple: true, anonymous: false },
      { type: 'poll.start', kind: 'yes-no', anonymous: false },
    ]) {
      expect(await teacher.send(bad)).toMatchObject({ ok: false, code: 'malformed' });
    }
    expect(await rogue.send({ type: 'poll.answer', pollId: crypto.randomUUID(), choices: [0] })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await server.log(teacher.meetingId)).toEqual(before);

    expect(await teacher.send({ ...custom, anonymous: false, question: ' Capitale ? ' })).toEqual({ ok: true });
    const { pollId } = await pollOf(student);
    expect((await pollOf(teacher)) as object).toMatchObject({ question: 'Capitale ?', options: custom.options });
    const running = await server.log(teacher.meetingId);
    for (const [who, command, code] of [
      [teacher, { ...custom, anonymous: true }, 'conflict'],
      [rogue, { type: 'poll.answer', pollId, choices: [3] }, 'malformed'],
      [rogue, { type: 'poll.answer', pollId, choices: [0, 1] }, 'malformed'],
      [rogue, { type: 'poll.answer', pollId, text: 'Paris' }, 'malformed'],
      [rogue, { type: 'poll.change-answer', pollId, choices: [1] }, 'not_found'],
      [teacher, { type: 'poll.answer', pollId, choices: [0] }, 'forbidden'],
      [rogue, { type: 'poll.stop', pollId }, 'forbidden'],
      [rogue, { type: 'poll.cancel', pollId }, 'forbidden'],
      [rogue, { type: 'poll.publish', pollId, lang: 'fr' }, 'forbidden'],
    ] as const) {
      expect(await who.send(command)).toMatchObject({ ok: false, code });
    }
    expect(await server.log(teacher.meetingId)).toEqual(running);

    expect(await student.send({ type: 'poll.answer', pollId, choices: [1] })).toEqual({ ok: true });
    expect(await student.send({ type: 'poll.answer', pollId, choices: [2] })).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('already answered'),
    });
    expect(await other.send({ type: 'poll.answer', pollId, choices: [0] })).toEqual({ ok: true });
    expect(await student.send({ type: 'poll.change-answer', pollId, choices: [0] })).toEqual({ ok: true });
    // The teacher sees every answer live, with its voter; a student sees only their own.
    await teacher.waitForEvent(() => teacher.events.filter(answered).length === 3);
    expect(teacher.events.filter(answered).map((e) => [e.event, e.actor])).toEqual([
      [expect.objectContaining({ participantId: student.id, choices: [1] }), student.id],
      [expect.objectContaining({ participantId: other.id, choices: [0] }), other.id],
      [expect.objectContaining({ participantId: student.id, choices: [0] }), student.id],
    ]);
    expect(other.events.filter(answered).map((e) => (e.event as { participantId: string }).participantId)).toEqual([
      other.id,
    ]);

    expect(await teacher.send({ type: 'poll.stop', pollId })).toEqual({ ok: true });
    expect(await other.send({ type: 'poll.change-answer', pollId, choices: [1] })).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('ended'),
    });
    expect(await teacher.send({ type: 'poll.stop', pollId })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await teacher.send({ type: 'poll.publish', pollId, lang: 'fr' })).toEqual({ ok: true });
    const message = await other.waitForEvent((e) => e.event.type === 'chat.sent');
    expect(message.event).toMatchObject({
      from: teacher.id,
      to: null,
      text: 'Résultats du sondage — Capitale ?\nParis : 2 (100 %)\nLyon : 0 (0 %)\nMarseille : 0 (0 %)\n2 réponses',
    });
    const published = await other.waitForEvent((e) => e.event.type === 'poll.published');
    expect(published.event).toMatchObject({
      rows: [
        { label: 'Paris', count: 2 },
        { label: 'Lyon', count: 0 },
        { label: 'Marseille', count: 0 },
      ],
      responders: 2,
    });
    // The chart: an annotation of the teacher's on the page on screen, for everyone.
    const drawn = await other.waitForEvent((e) => e.event.type === 'annotations.added');
    const shown = other.snapshots[0].state.slides.current;
    expect(drawn.event).toMatchObject({
      presentationId: shown,
      annotations: [
        {
          kind: 'chart',
          author: teacher.id,
          chart: {
            title: 'Capitale ?',
            responders: 2,
            bars: [
              { label: 'Paris', count: 2 },
              { label: 'Lyon', count: 0 },
              { label: 'Marseille', count: 0 },
            ],
          },
        },
      ],
    });
    expect(await teacher.send({ type: 'poll.publish', pollId, lang: 'fr' })).toMatchObject({
      ok: false,
      code: 'conflict',
    });

    // In multi-user mode a student draws, but neither forges results nor edits the published ones.
    expect(await teacher.send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    const chart = (drawn.event as { annotations: Annotation[] }).annotations[0];
    const where = { presentationId: (drawn.event as { presentationId: string }).presentationId, page: 1 };
    const shape = shapeOf(chart);
    const forged = {
      ...shape,
      id: 'forged-chart-1',
      chart: { title: 'Capitale ?', responders: 2, bars: [{ label: 'Lyon', count: 2 }] },
    };
    const beforeTamper = await server.log(teacher.meetingId);
    expect(await rogue.send({ type: 'annotation.add', ...where, shapes: [forged] })).toMatchObject({
      code: 'forbidden',
    });
    expect(
      await teacher.send({ type: 'annotation.update', ...where, shape: { ...shape, chart: forged.chart } }),
    ).toMatchObject({ code: 'malformed' });
    expect(await server.log(teacher.meetingId)).toEqual(beforeTamper);
    // Moved, it stays the same chart.
    const moved = {
      ...shape,
      points: [
        [10, 10],
        [300, 200],
      ],
    };
    expect(await teacher.send({ type: 'annotation.update', ...where, shape: moved })).toEqual({ ok: true });

    // The history: a moderator joining later sees every poll with its answers; a student their own.
    const late = await classroom.join(room.moderatorCode, 'M. Durand');
    expect(late.snapshots[0].state.polls).toEqual([
      expect.objectContaining({ id: pollId, status: 'stopped', answers: expect.arrayContaining([expect.anything()]) }),
    ]);
    expect(late.snapshots[0].state.polls[0].answers).toHaveLength(2);
    const again = await classroom.join(room.viewerCode, 'Léa');
    expect(again.snapshots[0].state.polls[0]).toMatchObject({ answers: [], published: { responders: 2 } });
  });

  it('keeps an anonymous poll anonymous: no voter in its events, rows, snapshots or logs', async () => {
    const { room, teacher } = await classroom.withTeacherAndStudent();
    const students = [await classroom.join(room.viewerCode, 'Anaïs')];
    for (const name of ['Bilal', 'Chloé', 'Dario']) students.push(await classroom.join(room.viewerCode, name));
    const voters = students.map((s) => s.id);
    const logsFrom = server.logs.length;
    expect(
      await teacher.send({ type: 'poll.start', kind: 'letters', letters: 3, multiple: true, anonymous: true }),
    ).toEqual({ ok: true });
    const { pollId } = await pollOf(teacher);
    const keys = students.map(() => receipt());
    const answers = [[0], [1, 2], [2], [0]];
    for (const [i, s] of students.entries()) {
      expect(await s.send({ type: 'poll.answer', pollId, choices: answers[i], receipt: keys[i] })).toEqual({
        ok: true,
      });
    }
    // A second answer is refused, with or without a receipt; a change needs the voter's own receipt.
    expect(await students[0].send({ type: 'poll.answer', pollId, choices: [1] })).toMatchObject({ code: 'conflict' });
    expect(await students[0].send({ type: 'poll.answer', pollId, choices: [1], receipt: receipt() })).toMatchObject({
      code: 'conflict',
    });
    expect(await students[0].send({ type: 'poll.change-answer', pollId, choices: [1] })).toMatchObject({
      code: 'malformed',
    });
    expect(
      await students[0].send({ type: 'poll.change-answer', pollId, choices: [1], receipt: receipt() }),
    ).toMatchObject({ code: 'not_found' });
    const outsider = await classroom.join(room.viewerCode, 'Eva');
    expect(await outsider.send({ type: 'poll.change-answer', pollId, choices: [1], receipt: keys[1] })).toMatchObject({
      code: 'not_found',
    });
    expect(await students[0].send({ type: 'poll.change-answer', pollId, choices: [1], receipt: keys[0] })).toEqual({
      ok: true,
    });

    await teacher.waitForEvent(() => teacher.events.filter(answered).length === 5);
    const received = teacher.events.filter(answered);
    for (const e of received) {
      expect(e.actor).toBeNull();
      // Only a tag of the ballot (the receipt's hash stays on the server), to follow a change.
      expect(e.event).toMatchObject({ participantId: null, ballot: expect.stringMatching(/^[\w-]{12}$/) });
    }
    // Students receive no answers of an anonymous poll, not even their own.
    for (const s of students) expect(s.events.filter(answered)).toEqual([]);

    // Stored: the answers' rows (actor, payload, audience) hold no voter, nor do the poll's other rows.
    const rows = await server.rows(
      `SELECT seq, actor, type, payload, audience FROM meeting_events WHERE meeting_id = $1 AND type LIKE 'poll.%' ORDER BY seq`,
      [teacher.meetingId],
    );
    expect(rows.filter((r) => r.type === 'poll.answered')).toHaveLength(5);
    for (const r of rows) for (const id of voters) expect(JSON.stringify(r)).not.toContain(id);
    for (const r of rows.filter((x) => x.type === 'poll.answered')) expect(r.actor).toBeNull();
    // Who answered is kept apart, as a sorted set.
    const [kept] = await server.rows<{ voters: string[] }>(
      'SELECT voters::text[] AS voters FROM poll_voters WHERE poll_id = $1',
      [pollId],
    );
    expect(kept.voters).toEqual([...voters].sort());

    expect(await teacher.send({ type: 'poll.stop', pollId })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'poll.publish', pollId, lang: 'en' })).toEqual({ ok: true });
    const published = await students[2].waitForEvent((e) => e.event.type === 'poll.published');
    expect(published.event).toMatchObject({
      rows: [
        { label: 'A', count: 1 },
        { label: 'B', count: 2 },
        { label: 'C', count: 2 },
      ],
      responders: 4,
    });

    // Snapshots: the teacher's and a moderator's hold the choices, never a voter.
    const moderator = await classroom.join(room.moderatorCode, 'M. Durand');
    await teacher.connect();
    for (const snapshot of [moderator.snapshots[0], teacher.snapshots.at(-1)!]) {
      const poll = snapshot.state.polls.find((p: Poll) => p.id === pollId)!;
      expect(poll.answers).toHaveLength(4);
      for (const id of voters) expect(JSON.stringify(poll)).not.toContain(id);
    }
    // Nothing the server printed since the poll started names a voter (debug level).
    const printed = server.logs.slice(logsFrom);
    for (const id of voters) expect(printed).not.toContain(id);
  });

  it('keeps answers across a restart, and still refuses a second answer after it', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const other = await classroom.join(room.viewerCode, 'Inès');
    expect(await teacher.send({ type: 'poll.start', kind: 'typed', multiple: false, anonymous: true })).toEqual({
      ok: true,
    });
    const { pollId } = await pollOf(teacher);
    const key = receipt();
    expect(await student.send({ type: 'poll.answer', pollId, text: 'Éléphant', receipt: key })).toEqual({ ok: true });
    expect(await other.send({ type: 'poll.answer', pollId, text: 'elephant !' })).toEqual({ ok: true });

    await server.restart();
    for (const c of [teacher, student, other]) await c.connect();
    expect(await other.send({ type: 'poll.answer', pollId, text: 'Girafe' })).toMatchObject({ code: 'conflict' });
    expect(await student.send({ type: 'poll.change-answer', pollId, text: 'Girafe', receipt: key })).toEqual({
      ok: true,
    });
    const third = await classroom.join(room.viewerCode, 'Zoé');
    expect(await third.send({ type: 'poll.answer', pollId, text: 'GIRAFE' })).toEqual({ ok: true });
    await teacher.waitForEvent((e) => answered(e) && (e.event as { text: string }).text === 'GIRAFE');
    const moderator = await classroom.join(room.moderatorCode, 'M. Durand');
    const poll = moderator.snapshots[0].state.polls[0];
    expect(poll.status).toBe('running');
    expect(poll.answers.map((a) => a.text)).toEqual(['Girafe', 'elephant !', 'GIRAFE']);
  });

  it('counts 200 students answering at once exactly', async () => {
    const room = await classroom.createRoom('Amphi');
    const teacher = await classroom.join(room.moderatorCode, 'Mme Martin');
    const students: TestClient[] = [];
    for (let i = 0; i < 200; i += 20) {
      students.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, j) => classroom.join(room.viewerCode, `Élève ${i + j}`, 'listen-only')),
        )),
      );
    }
    expect(
      await teacher.send({ type: 'poll.start', kind: 'letters', letters: 4, multiple: false, anonymous: false }),
    ).toEqual({ ok: true });
    const { pollId } = await pollOf(teacher);
    const replies = await Promise.all(
      students.map((s, i) => s.send({ type: 'poll.answer', pollId, choices: [i % 4 === 3 ? 0 : i % 4] })),
    );
    expect(replies.filter((r) => !r.ok)).toEqual([]);
    await teacher.waitForEvent(() => teacher.events.filter(answered).length >= 200, 20_000);
    const counts = [0, 0, 0, 0];
    for (const e of teacher.events.filter(answered)) counts[(e.event as { choices: number[] }).choices[0]]++;
    expect(counts).toEqual([100, 50, 50, 0]);
    const moderator = await classroom.join(room.moderatorCode, 'M. Durand');
    const poll = moderator.snapshots[0].state.polls[0];
    expect(new Set(poll.answers.map((a) => a.participantId)).size).toBe(200);
    for (const s of students) s.close();
  }, 120_000);
});
