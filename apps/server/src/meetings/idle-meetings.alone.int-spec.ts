import * as Y from 'yjs';
import { annotationsOf, fromBase64, NOTES_FRAGMENT, toBase64, type Shape } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';

// A school's instance keeps only the lessons going on now in memory: a meeting nobody is
// connected to leaves it, and comes back from the log, whole, when someone returns.
// A soak of 500 lessons: it runs in the tier alone, where its two cores' worth of work does not
// slow another worker's timing tests (a restart against a countdown, say).

const IDLE_SECONDS = 1;
const MB = 1024 * 1024;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let counter = 0;
const stroke = (): Shape => ({
  id: `soak-${Date.now().toString(36)}-${++counter}`,
  kind: 'pencil',
  points: Array.from({ length: 40 }, (_, i) => [100 + i * 3.25, 200 + (i % 9) * 1.5]),
  colour: '#1971c2',
  size: 3,
  fill: false,
});

/** A notes edit as the editor makes it: a paragraph of text. */
function notesEdit(text: string): string {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  doc.getXmlFragment(NOTES_FRAGMENT).insert(0, [p]);
  p.insert(0, [new Y.XmlText(text)]);
  return toBase64(Y.encodeStateAsUpdate(doc));
}

describe('idle meetings leave memory (real server)', () => {
  const { server, classroom } = liveClassroom({
    MEETING_IDLE_SECONDS: String(IDLE_SECONDS),
    ROOM_CREATION_BURST: '2000',
    JOIN_BURST: '5000',
    // The test asks the server's heap after a full collection through the inspector.
    NODE_OPTIONS: '--inspect=127.0.0.1:0',
  });

  /** A short lesson: a teacher opens it, writes, draws, takes notes, and leaves. */
  async function lesson(i: number): Promise<{ code: string; teacher: TestClient }> {
    const room = await classroom.createRoom(`Soak ${i}`);
    const teacher = await classroom.join(room.moderatorCode, 'Mme Roux');
    const presentationId = teacher.snapshots[0].state.slides.current!;
    for (let k = 0; k < 3; k++)
      expect(await teacher.send({ type: 'chat.send', to: null, text: `Leçon ${i} ${'x'.repeat(3000)}` })).toEqual({
        ok: true,
      });
    const shapes = Array.from({ length: 120 }, stroke);
    expect(await teacher.send({ type: 'annotation.add', presentationId, page: 1, shapes })).toEqual({ ok: true });
    expect(
      await teacher.request('notes.update', { update: notesEdit(`Notes ${i} ${'y'.repeat(20_000)}`) }),
    ).toMatchObject({
      ok: true,
    });
    expect(await teacher.send({ type: 'participant.leave' })).toEqual({ ok: true });
    teacher.close();
    return { code: room.moderatorCode, teacher };
  }

  async function lessons(from: number, to: number) {
    const done: { code: string; teacher: TestClient }[] = [];
    for (let i = from; i < to; i += 10) {
      done.push(...(await Promise.all(Array.from({ length: Math.min(10, to - i) }, (_, k) => lesson(i + k)))));
    }
    return done;
  }

  /** The server's live memory once idle meetings have had time to leave. */
  async function settled() {
    await pause(IDLE_SECONDS * 1000 + 3000);
    return server.memoryAfterGc();
  }

  it('gives back its memory after 500 meetings opened, used and left; each comes back whole from the log', async () => {
    // Warm-up: the first lessons load code and fill caches that stay whatever happens next.
    await lessons(0, 40);
    const start = await settled();

    const done = await lessons(40, 540);
    const peak = await server.memoryAfterGc();
    const end = await settled();
    const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
    console.log(
      `idle meetings, heap after a full collection: ${mb(start.heapUsed)} after warm-up, ` +
        `${mb(peak.heapUsed)} right after 500 lessons, ${mb(end.heapUsed)} once they left memory ` +
        `(RSS ${mb(start.rss)}, ${mb(peak.rss)}, ${mb(end.rss)})`,
    );
    // The lessons weigh (those not yet idle are still held right after them): once idle, all are gone.
    expect(peak.heapUsed - start.heapUsed).toBeGreaterThan(10 * MB);
    expect(end.heapUsed - start.heapUsed).toBeLessThan(5 * MB);

    // A meeting that left memory comes back from the log when its teacher returns.
    const back = await classroom.join(done[123].code, 'Mme Roux');
    const state = back.snapshots[0].state;
    expect(state.chat.map((m) => m.text.slice(0, 9))).toEqual(['Leçon 163', 'Leçon 163', 'Leçon 163']);
    expect(annotationsOf(state.whiteboard, state.slides.current!, 1)).toHaveLength(120);
    const synced = await back.request('notes.sync', { stateVector: toBase64(Y.encodeStateVector(new Y.Doc())) });
    expect(synced).toMatchObject({ ok: true });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, fromBase64((synced as { result: { update: string } }).result.update));
    expect(doc.getXmlFragment(NOTES_FRAGMENT).toString()).toContain('Notes 163 yyy');
  }, 240_000);
});
