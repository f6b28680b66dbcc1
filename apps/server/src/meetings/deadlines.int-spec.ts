import { Client } from 'pg';
import { liveClassroom } from '../testing/classroom-kit';

/** The stored log of a meeting, with each event's schema version. */
async function storedLog(meetingId: string) {
  const db = new Client({ connectionString: process.env.ESTRADE_TEST_DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ type: string; version: number; at: Date; payload: Record<string, unknown> }>(
      'SELECT type, version, at, payload FROM meeting_events WHERE meeting_id = $1 ORDER BY seq',
      [meetingId],
    );
    return rows;
  } finally {
    await db.end();
  }
}

describe('meeting deadlines', () => {
  // A "minute" of one second: a twenty-minute meeting lasts twenty seconds (a restart on a busy
  // machine takes several).
  const { server, classroom } = liveClassroom({ MEETING_MINUTE_SECONDS: '1', RECONNECT_GRACE_SECONDS: '30' });

  it('end a meeting on time at its maximum duration even when the server was killed and restarted meanwhile', async () => {
    const room = await server.http('POST', '/api/rooms', { name: 'Maths', settings: { maxDurationMinutes: 20 } });
    const teacher = await classroom.join(room.json.moderatorCode, 'Mme Martin');
    const endsAt = Date.parse(teacher.snapshots[0].state.endsAt!);
    teacher.close();

    // Killed without any chance to clean up; started again: the deadline comes from the log.
    await server.crash();
    await server.start();
    expect(Date.now()).toBeLessThan(endsAt);

    let log = await storedLog(teacher.meetingId);
    for (const deadline = endsAt + 10_000; !log.some((e) => e.type === 'meeting.ended');) {
      if (Date.now() > deadline) throw new Error('the meeting did not end');
      await new Promise((r) => setTimeout(r, 200));
      log = await storedLog(teacher.meetingId);
    }
    const ended = log.find((e) => e.type === 'meeting.ended')!;
    expect(ended.payload).toMatchObject({ reason: 'duration' });
    expect(ended.at.getTime()).toBeGreaterThanOrEqual(endsAt - 50);
    expect(ended.at.getTime()).toBeLessThan(endsAt + 1_500);
    expect(log.filter((e) => e.type === 'meeting.ending-soon')).toHaveLength(1);

    // Every event is stored with the version of its schema.
    const versions = Object.fromEntries(log.map((e) => [e.type, e.version]));
    expect(versions).toMatchObject({ 'settings.changed': 2, 'participant.joined': 1, 'meeting.ended': 2 });
  });
});
