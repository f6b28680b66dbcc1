import * as Y from 'yjs';
import { fromBase64, NOTES_FRAGMENT, NOTES_LIMITS, toBase64 } from '@estrade/protocol';
import * as encoding from 'lib0/encoding';
import { execFileSync } from 'node:child_process';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';
import { filesAccess } from '../testing/slides-kit';
import { healthProbe } from '../testing/health-probe';

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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An update that reads and writes back exactly as Yjs writes one, but throws when applied: its one
 * item's origin is a later clock of its own client, which Yjs looks up instead of waiting for.
 */
function poisonedUpdate(client: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // clients
  encoding.writeVarUint(e, 1); // structs of this client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0); // first clock
  encoding.writeUint8(e, 4 | 0x80); // a string, with an origin
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 7); // the origin: its own client, seven clocks on
  encoding.writeVarString(e, 'x');
  encoding.writeVarUint(e, 0); // an empty delete set
  return encoding.toUint8Array(e);
}

/** Lists nested `levels` deep, the innermost item's paragraph holding `text`; returns the innermost list item. */
function nestedLists(parent: Y.XmlFragment | Y.XmlElement, levels: number, text: string): Y.XmlElement {
  let at = parent;
  let item: Y.XmlElement | null = null;
  for (let i = 0; i < levels; i++) {
    const list = new Y.XmlElement('bulletList');
    item = new Y.XmlElement('listItem');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`${text} ${i + 1}`)]);
    item.insert(0, [paragraph]);
    list.insert(0, [item]);
    at.insert(at.length, [list]);
    at = item;
  }
  return item!;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

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

  it('exports the notes as text, escaped HTML and PDF, and makes a presentation of them for moderators', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const t = new NotesClient(teacher);
    await t.sync();
    const fragment = t.doc.getXmlFragment(NOTES_FRAGMENT);
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', '1');
    heading.insert(0, [new Y.XmlText('Photosynthèse')]);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    const list = new Y.XmlElement('taskList');
    const item = new Y.XmlElement('taskItem');
    item.setAttribute('checked', 'true');
    const itemText = new Y.XmlElement('paragraph');
    itemText.insert(0, [new Y.XmlText('Relire le chapitre')]);
    item.insert(0, [itemText]);
    list.insert(0, [item]);
    fragment.insert(0, [heading, paragraph, list]);
    text.insert(0, 'La lumière <script>alert(1)</script> & le ');
    text.insert(text.length, 'CO2', { bold: true });
    text.insert(text.length, ' lien', { link: { href: 'https://example.org/a?b=1&c=2' } });
    text.insert(text.length, ' piège', { link: { href: 'javascript:alert(1)' } });
    expect((await Promise.all(t.sent)).every((r) => (r as { ok: boolean }).ok)).toBe(true);

    const { access } = await filesAccess(student);
    const get = (format: string) =>
      fetch(`${server.url}/api/notes/notes.${format}?access=${encodeURIComponent(access)}`);
    const txt = await get('txt');
    expect(txt.status).toBe(200);
    expect(txt.headers.get('content-type')).toContain('text/plain');
    expect(await txt.text()).toBe(
      '# Photosynthèse\nLa lumière <script>alert(1)</script> & le CO2 lien piège\n[x] Relire le chapitre',
    );
    const html = await (await get('html')).text();
    expect(html).toContain('<h1>Photosynthèse</h1>');
    expect(html).toContain('La lumière &lt;script&gt;alert(1)&lt;/script&gt; &amp; le <strong>CO2</strong>');
    expect(html).toContain(
      '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank"> lien</a>',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('javascript:');
    const pdf = await get('pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text1 = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text1).toContain('Photosynthèse');
    expect(text1).toContain('[x] Relire le chapitre');
    expect((await get('exe')).status).toBe(404);
    expect((await fetch(`${server.url}/api/notes/notes.txt`)).status).toBe(401);

    // Notes → presentation: moderators only; the PDF's text is the notes'.
    const post = (c: TestClient, token: string) =>
      fetch(`${server.url}/api/notes/presentation?access=${encodeURIComponent(token)}`, { method: 'POST' });
    expect((await post(student, access)).status).toBe(403);
    const made = await post(teacher, (await filesAccess(teacher)).access);
    expect(made.status).toBe(201);
    const { presentationId, fileId } = (await made.json()) as { presentationId: string; fileId: string };
    const added = await student.waitForEvent((e) => e.event.type === 'presentation.added');
    expect(added.event).toMatchObject({ presentationId, fileId, format: 'pdf' });
    await student.waitForEvent((e) => e.event.type === 'presentation.shown');
    const doc = await fetch(
      `${server.url}/api/presentations/${fileId}/document.pdf?access=${encodeURIComponent(access)}`,
    );
    expect(doc.status).toBe(200);
    expect(await pdfText(new Uint8Array(await doc.arrayBuffer()))).toBe(text1);
  });

  it('makes the PDF of long notes off the event loop: the server answers everyone meanwhile', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const t = new NotesClient(teacher);
    await t.sync();
    // 4,000 paragraphs, some 800,000 characters: seconds of pdf-lib's layout.
    const fragment = t.doc.getXmlFragment(NOTES_FRAGMENT);
    for (let batch = 0; batch < 4; batch++) {
      const paragraphs = Array.from({ length: 1000 }, (_, i) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`${batch * 1000 + i} ${'Lorem ipsum dolor sit amet, consectetur. '.repeat(5)}`)]);
        return p;
      });
      fragment.insert(fragment.length, paragraphs);
    }
    expect((await Promise.all(t.sent.splice(0))).every((r) => (r as { ok: boolean }).ok)).toBe(true);
    await settle();

    const { access } = await filesAccess(student);
    const probe = healthProbe(server.url, 3000);
    await sleep(200);
    const started = Date.now();
    const res = await fetch(`${server.url}/api/notes/notes.pdf?access=${encodeURIComponent(access)}`);
    expect(res.status).toBe(200);
    const pdf = new Uint8Array(await res.arrayBuffer());
    const took = Date.now() - started;
    const latencies = await probe;
    console.log(`notes PDF of 800,000 characters: ${took} ms; health meanwhile p95 ${p95(latencies).toFixed(0)} ms`);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(await pdfText(pdf)).toContain('3999 Lorem ipsum');
    // Laid out on the event loop, the health answers would wait the whole PDF (seconds).
    expect(p95(latencies)).toBeLessThan(250);
    expect(Math.max(...latencies)).toBeLessThan(Math.max(1000, took / 2));
  });

  it('refuses a poisoned update alone: every honest edit is kept, the poisoner resyncs, the server answers quickly', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const poisoner = await classroom.join(room.viewerCode, 'Malo');
    const a = new NotesClient(teacher);
    const b = new NotesClient(student);
    await a.sync();
    await b.sync();
    // A document of 800,000 characters: what a reload from PostgreSQL would cost most with.
    for (let i = 0; i < 4; i++) a.paragraph.insert(0, 'x'.repeat(200_000));
    expect((await Promise.all(a.sent.splice(0))).every((r) => (r as { ok: boolean }).ok)).toBe(true);
    await settle();

    const probe = healthProbe(server.url, 4500);
    await sleep(200);
    // Two editors typing 50 edits each and one sending 100 poisoned updates, each at the allowed rate.
    const edit = async (c: NotesClient, tag: string) => {
      for (let i = 0; i < 50; i++) {
        c.paragraph.insert(0, `[${tag}${i}]`);
        await sleep(40);
      }
    };
    const poisons: Promise<{ ok: boolean; code?: string }>[] = [];
    const poison = async () => {
      for (let i = 0; i < 100; i++) {
        poisons.push(poisoner.request('notes.update', { update: toBase64(poisonedUpdate(4242)) }));
        await sleep(40);
      }
    };
    await Promise.all([edit(a, 'a'), edit(b, 'b'), poison()]);
    const honest = (await Promise.all([...a.sent, ...b.sent])) as { ok: boolean; code?: string }[];
    const latencies = await probe;

    expect(honest.filter((r) => !r.ok)).toEqual([]);
    expect(honest).toHaveLength(100);
    expect(await Promise.all(poisons)).toEqual(
      Array.from({ length: 100 }, () => expect.objectContaining({ ok: false, code: 'malformed' })),
    );
    const newcomer = new NotesClient(await classroom.join(room.viewerCode, 'Zoé'));
    await newcomer.sync();
    for (let i = 0; i < 50; i++) {
      expect(newcomer.text).toContain(`[a${i}]`);
      expect(newcomer.text).toContain(`[b${i}]`);
    }
    await settle();
    expect(a.text).toBe(newcomer.text);
    expect(b.text).toBe(newcomer.text);
    // The poisoner, told, syncs again and has the notes as everyone has them.
    const resynced = new NotesClient(poisoner);
    await resynced.sync();
    expect(resynced.text).toBe(newcomer.text);
    // No reload of the document while it happened (0.5–1.6 s before).
    console.log(`health during the poisoning: p95 ${p95(latencies).toFixed(0)} ms over ${latencies.length}`);
    expect(p95(latencies)).toBeLessThan(250);
  });

  it('bounds the notes in bytes whatever they hold, and refuses what the editor never writes', async () => {
    const { teacher } = await classroom.withTeacherAndStudent();
    const t = new NotesClient(teacher);
    await t.sync();
    t.paragraph.insert(0, 'Consignes');
    await Promise.all(t.sent.splice(0));
    // Each built on an empty document: inserted at the start of the notes, as concurrent edits are.
    const send = (build: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc();
      build(doc);
      return teacher.request('notes.update', { update: toBase64(Y.encodeStateAsUpdate(doc)) });
    };
    const fullSync = async () => {
      const reply = await teacher.request('notes.sync', { stateVector: toBase64(Y.encodeStateVector(new Y.Doc())) });
      if (!reply.ok) throw new Error(reply.message);
      return fromBase64((reply.result as { update: string }).update).length;
    };
    // A map beside the notes, binaries, embeds: none of them the editor's.
    expect(await send((d) => d.getMap('à côté').set('k', 'v'.repeat(200_000)))).toMatchObject({
      ok: false,
      code: 'malformed',
    });
    expect(
      await send((d) => {
        const el = new Y.XmlElement('paragraph');
        el.setAttribute('data', new Uint8Array(200_000) as unknown as string);
        d.getXmlFragment(NOTES_FRAGMENT).insert(0, [el]);
      }),
    ).toMatchObject({ ok: false, code: 'malformed' });
    expect(
      await send((d) => {
        const text = new Y.XmlText();
        d.getXmlFragment(NOTES_FRAGMENT).insert(0, [text]);
        text.insertEmbed(0, { image: 'x'.repeat(1000) });
      }),
    ).toMatchObject({ ok: false, code: 'malformed' });

    // Attributes of 200,000 characters each: accepted until the notes hold 2 MB, then refused.
    const replies: { ok: boolean; code?: string; message?: string }[] = [];
    for (let i = 0; i < 14; i++) {
      const reply = (await send((d) => {
        const el = new Y.XmlElement('paragraph');
        el.setAttribute('title', String.fromCharCode(97 + i).repeat(200_000));
        d.getXmlFragment(NOTES_FRAGMENT).insert(0, [el]);
      })) as { ok: boolean; code?: string; message?: string };
      replies.push(reply);
    }
    expect(replies.filter((r) => r.ok).length).toBeGreaterThanOrEqual(9);
    expect(replies.at(-1)).toMatchObject({ ok: false, code: 'too_large', message: expect.stringContaining('2 MB') });
    const size = await fullSync();
    expect(size).toBeLessThanOrEqual(NOTES_LIMITS.documentBytes);
    // Refused, it changed nothing: the same notes, and deleting still makes room.
    expect(
      await send((d) => d.getXmlFragment(NOTES_FRAGMENT).insert(0, [new Y.XmlText('z'.repeat(100_000))])),
    ).toMatchObject({
      ok: false,
      code: 'too_large',
    });
    expect(await fullSync()).toBe(size);
    t.paragraph.delete(0, 5);
    expect(await t.sent.at(-1)).toEqual({ ok: true });
  });

  it('refuses nesting deeper than the limit, and exports the deepest notes allowed quickly', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const t = new NotesClient(teacher);
    await t.sync();
    const fragment = t.doc.getXmlFragment(NOTES_FRAGMENT);
    // 2,500 lists in one another, in one update: refused, nothing of it kept.
    const deep = new Y.Doc();
    nestedLists(deep.getXmlFragment(NOTES_FRAGMENT), 2500, 'Trop');
    expect(await teacher.request('notes.update', { update: toBase64(Y.encodeStateAsUpdate(deep)) })).toMatchObject({
      ok: false,
      code: 'too_large',
      message: expect.stringContaining(`${NOTES_LIMITS.depth} levels`),
    });
    // As deep as allowed (15 lists: the innermost text at depth 32), in one update, then one level more.
    const innermost = nestedLists(fragment, 15, 'Niveau');
    expect(await t.sent.at(-1)).toEqual({ ok: true });
    nestedLists(innermost, 1, 'Encore');
    expect(await t.sent.at(-1)).toMatchObject({ ok: false, code: 'too_large' });

    const { access } = await filesAccess(student);
    for (const format of ['txt', 'html', 'pdf']) {
      const started = performance.now();
      const res = await fetch(`${server.url}/api/notes/notes.${format}?access=${encodeURIComponent(access)}`);
      expect(res.status).toBe(200);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(performance.now() - started).toBeLessThan(2000);
      const text = format === 'pdf' ? await pdfText(body) : new TextDecoder().decode(body);
      expect(text).toContain('Niveau 15');
      expect(text).not.toContain('Trop');
      expect(text).not.toContain('Encore');
    }
  });
});

/** The text of a PDF as poppler reads it. */
async function pdfText(data: Uint8Array): Promise<string> {
  return execFileSync('pdftotext', ['-', '-'], { input: data, encoding: 'utf8' });
}
