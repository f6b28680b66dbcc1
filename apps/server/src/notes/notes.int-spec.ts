import * as Y from 'yjs';
import { fromBase64, NOTES_FRAGMENT, toBase64 } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';

/** A Yjs client of the shared notes over the real socket, as the web app is. */
class NotesClient {
  readonly doc = new Y.Doc();
  readonly sent: Promise<unknown>[] = [];
  private held: Uint8Array[] = [];
  /** While offline, local edits are kept and sent by the next sync. */
  online = true;

  constructor(readonly client: TestClient) {
    this.listen();
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'server') return;
      if (this.online) this.sent.push(this.client.request('notes.update', { update: toBase64(update) }));
      else this.held.push(update);
    });
  }

  listen() {
    this.client.socket.on('notes.update', (batch: { from: string; update: string }[]) => {
      for (const r of batch) if (r.from !== this.client.id) Y.applyUpdate(this.doc, fromBase64(r.update), 'server');
    });
  }

  async sync() {
    const reply = await this.client.request('notes.sync', { stateVector: toBase64(Y.encodeStateVector(this.doc)) });
    if (!reply.ok) throw new Error(reply.message);
    const { update, stateVector } = reply.result as { update: string; stateVector: string };
    Y.applyUpdate(this.doc, fromBase64(update), 'server');
    this.held = [];
    const missing = Y.encodeStateAsUpdate(this.doc, fromBase64(stateVector));
    return this.client.request('notes.update', { update: toBase64(missing) });
  }

  get paragraph(): Y.XmlText {
    const fragment = this.doc.getXmlFragment(NOTES_FRAGMENT);
    if (fragment.length === 0) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText()]);
      fragment.insert(0, [p]);
    }
    return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  }

  get text(): string {
    return this.doc.getXmlFragment(NOTES_FRAGMENT).toString();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('shared notes (real server)', () => {
  const { server, classroom } = liveClassroom();

  it('merges two people typing in one paragraph at once, and keeps it across a restart', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const a = new NotesClient(teacher);
    const b = new NotesClient(student);
    await a.sync();
    a.paragraph.insert(0, 'Le cycle de l’eau');
    await Promise.all(a.sent);
    await b.sync();
    expect(b.text).toBe(a.text);
    // Both type into the same paragraph before either hears of the other.
    a.paragraph.insert(4, 'grand ');
    b.paragraph.insert(a.paragraph.length, ' : évaporation');
    b.paragraph.insert(0, '1. ');
    expect((await Promise.all([...a.sent, ...b.sent])).every((r) => (r as { ok: boolean }).ok)).toBe(true);
    await settle();
    expect(a.text).toBe(b.text);
    expect(a.paragraph.toString()).toContain('grand');
    expect(a.paragraph.toString()).toContain(' : évaporation');
    expect(a.paragraph.toString().startsWith('1. ')).toBe(true);

    // Offline for a moment: the edits are kept and merge back on reconnection.
    b.online = false;
    b.client.close();
    b.paragraph.insert(b.paragraph.length, ', condensation');
    a.paragraph.insert(0, '» ');
    await Promise.all(a.sent);
    await b.client.connect({ resume: true });
    b.listen();
    b.online = true;
    expect(await b.sync()).toEqual({ ok: true });
    await settle();
    expect(a.text).toBe(b.text);
    expect(a.text).toContain(', condensation');

    await server.restart();
    const late = new NotesClient(await classroom.join(room.viewerCode, 'Zoé'));
    await late.sync();
    expect(late.text).toBe(a.text);
    expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc));
  });

  it('refuses a viewer under the shared-notes lock, malformed and oversized updates, and changes nothing', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const t = new NotesClient(teacher);
    const s = new NotesClient(student);
    await t.sync();
    await s.sync();
    t.paragraph.insert(0, 'Consignes');
    await Promise.all(t.sent);
    await settle();
    const rows = async () =>
      (
        await server.rows<{ n: number }>('SELECT count(*)::int AS n FROM notes_updates WHERE meeting_id = $1', [
          teacher.meetingId,
        ])
      )[0].n;
    const stored = await rows();

    expect(await teacher.send({ type: 'locks.update', locks: { sharedNotes: true } })).toEqual({ ok: true });
    await student.waitForEvent((e) => e.event.type === 'locks.changed');
    s.paragraph.insert(0, 'Tricheur ');
    expect(await s.sent.at(-1)).toMatchObject({ ok: false, code: 'locked' });
    // Whatever the viewer sends, the same.
    const forged = new Y.Doc();
    forged.getXmlFragment(NOTES_FRAGMENT).insert(0, [new Y.XmlText('Faux')]);
    expect(await student.request('notes.update', { update: toBase64(Y.encodeStateAsUpdate(forged)) })).toMatchObject({
      ok: false,
      code: 'locked',
    });

    for (const bad of ['AAECAwQFBgcICQ==', toBase64(crypto.getRandomValues(new Uint8Array(64))), 'pas du base64 !']) {
      expect(await teacher.request('notes.update', { update: bad })).toMatchObject({ ok: false, code: 'malformed' });
    }
    const valid = Y.encodeStateAsUpdate(forged);
    expect(
      await teacher.request('notes.update', { update: toBase64(valid.subarray(0, valid.length - 3)) }),
    ).toMatchObject({ ok: false, code: 'malformed' });
    const huge = new Y.Doc();
    huge.getXmlFragment(NOTES_FRAGMENT).insert(0, [new Y.XmlText('x'.repeat(300 * 1024))]);
    expect(await teacher.request('notes.update', { update: toBase64(Y.encodeStateAsUpdate(huge)) })).toMatchObject({
      ok: false,
      code: 'too_large',
      message: expect.stringContaining('256 KB'),
    });
    expect(await rows()).toBe(stored);
    const fresh = new NotesClient(await classroom.join(room.viewerCode, 'Zoé'));
    await fresh.sync();
    expect(fresh.text).toBe(t.text);
    expect(fresh.text).not.toContain('Tricheur');
  });

  it('holds at most a million characters, and rate-limits each editor', async () => {
    const { teacher } = await classroom.withTeacherAndStudent();
    const t = new NotesClient(teacher);
    await t.sync();
    const chunk = 'a'.repeat(200_000);
    for (let i = 0; i < 5; i++) t.paragraph.insert(0, chunk);
    const replies = (await Promise.all(t.sent.splice(0))) as { ok: boolean; code?: string }[];
    expect(replies.slice(0, 5).filter((r) => r.ok)).toHaveLength(5);
    t.paragraph.insert(0, 'b'.repeat(1000));
    expect(await t.sent.at(-1)).toMatchObject({
      ok: false,
      code: 'too_large',
      message: expect.stringContaining('1,000,000'),
    });

    const burst = await Promise.all(
      Array.from({ length: 120 }, (_, i) => {
        const d = new Y.Doc();
        d.getXmlFragment('other').insert(0, [new Y.XmlText(String(i))]);
        return teacher.request('notes.update', { update: toBase64(Y.encodeStateAsUpdate(d)) });
      }),
    );
    expect(burst.some((r) => !r.ok && r.code === 'too_fast')).toBe(true);
  });
});
