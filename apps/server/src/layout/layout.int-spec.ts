import { liveClassroom } from '../testing/classroom-kit';

describe('a layout pushed to everyone', () => {
  const { server, classroom } = liveClassroom();

  it('is pushed and released by a moderator; everyone, late joiners too, receives it', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const layout = { focus: 'video' as const, pinned: student.id };
    expect(await teacher.send({ type: 'layout.push', layout })).toEqual({ ok: true });
    const pushed = await student.waitForEvent((e) => e.event.type === 'layout.pushed');
    expect(pushed.event).toEqual({ type: 'layout.pushed', layout });
    expect(pushed.actor).toBe(teacher.id);

    const late = await classroom.join(room.viewerCode, 'Inès');
    expect(late.snapshots[0].state.pushedLayout).toEqual(layout);

    // The same layout again changes nothing; releasing gives everyone their own choice back.
    const before = (await server.log(teacher.meetingId)).length;
    expect(await teacher.send({ type: 'layout.push', layout })).toEqual({ ok: true });
    expect((await server.log(teacher.meetingId)).length).toBe(before);
    expect(await teacher.send({ type: 'layout.release' })).toEqual({ ok: true });
    await late.waitForEvent((e) => e.event.type === 'layout.released');
    const fresh = await classroom.join(room.viewerCode, 'Hugo');
    expect(fresh.snapshots[0].state.pushedLayout).toBeNull();
  });

  it('is refused to a viewer, with someone absent pinned, or malformed, and nothing is logged', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const before = (await server.log(teacher.meetingId)).length;
    expect(await student.send({ type: 'layout.push', layout: { focus: 'video', pinned: null } })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await student.send({ type: 'layout.release' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      await teacher.send({ type: 'layout.push', layout: { focus: 'video', pinned: crypto.randomUUID() } }),
    ).toMatchObject({ ok: false, code: 'not_found' });
    for (const layout of [{ focus: 'wall', pinned: null }, { focus: 'video' }, { focus: 'video', pinned: 3 }, null]) {
      expect(await teacher.send({ type: 'layout.push', layout })).toMatchObject({ ok: false, code: 'malformed' });
    }
    expect((await server.log(teacher.meetingId)).length).toBe(before);
  });
});
