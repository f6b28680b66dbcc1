import { liveClassroom } from '../testing/classroom-kit';

describe('the class timer (real server)', () => {
  const { server, classroom } = liveClassroom();

  it('runs a countdown for everyone and ends it on time, by the server', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const before = await server.log(teacher.meetingId);
    for (const command of [
      { type: 'timer.start', mode: 'countdown', durationMs: 2000, sound: true },
      { type: 'timer.pause' },
      { type: 'timer.reset' },
      { type: 'timer.clear' },
    ]) {
      expect(await student.send(command)).toMatchObject({ ok: false, code: 'forbidden' });
    }
    for (const command of [
      { type: 'timer.start', mode: 'countdown', sound: true },
      { type: 'timer.start', mode: 'countdown', durationMs: 500, sound: true },
      { type: 'timer.start', mode: 'stopwatch', durationMs: 5000, sound: true },
      { type: 'timer.start', mode: 'egg', durationMs: 5000, sound: true },
    ]) {
      expect(await teacher.send(command)).toMatchObject({ ok: false, code: 'malformed' });
    }
    for (const type of ['timer.pause', 'timer.resume', 'timer.reset', 'timer.clear']) {
      expect(await teacher.send({ type })).toMatchObject({ ok: false, code: 'not_found' });
    }
    expect(await server.log(teacher.meetingId)).toEqual(before);

    const sent = Date.now();
    expect(await teacher.send({ type: 'timer.start', mode: 'countdown', durationMs: 2000, sound: true })).toEqual({
      ok: true,
    });
    const started = await student.waitForEvent((e) => e.event.type === 'timer.started');
    expect(started.event).toEqual({ type: 'timer.started', mode: 'countdown', durationMs: 2000, sound: true });
    const ended = await student.waitForEvent((e) => e.event.type === 'timer.ended', 5000);
    const startedAt = Date.parse(started.at);
    expect(Date.parse(ended.at) - startedAt).toBeGreaterThanOrEqual(2000);
    expect(Date.parse(ended.at) - startedAt).toBeLessThan(2800);
    expect(Date.parse(started.at)).toBeGreaterThanOrEqual(sent - 50);
    expect(ended.actor).toBeNull();
    // Over: it can be reset, not resumed.
    expect(await teacher.send({ type: 'timer.resume' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await teacher.send({ type: 'timer.reset' })).toEqual({ ok: true });
  });

  it('pauses and resumes; a paused countdown does not end', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    expect(await teacher.send({ type: 'timer.start', mode: 'countdown', durationMs: 1000, sound: false })).toEqual({
      ok: true,
    });
    expect(await teacher.send({ type: 'timer.pause' })).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(student.events.some((e) => e.event.type === 'timer.ended')).toBe(false);
    expect(await teacher.send({ type: 'timer.resume' })).toEqual({ ok: true });
    await student.waitForEvent((e) => e.event.type === 'timer.ended', 3000);
  });

  it('tells the server time, and a countdown set before a restart ends on time after it', async () => {
    const { room, teacher } = await classroom.withTeacherAndStudent();
    const t0 = Date.now();
    const reply = await teacher.request('clock');
    expect(reply.ok).toBe(true);
    const now = (reply as { result: { now: number } }).result.now;
    expect(Math.abs(now - t0)).toBeLessThan(1000);

    expect(await teacher.send({ type: 'timer.start', mode: 'countdown', durationMs: 12_000, sound: true })).toEqual({
      ok: true,
    });
    const startedAt = Date.parse((await teacher.waitForEvent((e) => e.event.type === 'timer.started')).at);
    await server.restart();
    const after = await classroom.join(room.viewerCode, 'Après');
    // Long enough for a restart on a busy machine to end before the countdown does.
    expect(after.snapshots[0].state.timer).toMatchObject({ mode: 'countdown', durationMs: 12_000, over: false });
    const ended = await after.waitForEvent((e) => e.event.type === 'timer.ended', 20_000);
    expect(Date.parse(ended.at) - startedAt).toBeGreaterThanOrEqual(12_000);
    expect(Date.parse(ended.at) - startedAt).toBeLessThan(13_500);
  });
});
