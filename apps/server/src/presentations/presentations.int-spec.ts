import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { quickPollOf, type Presentation } from '@estrade/protocol';
import { liveClassroom, TestClient } from '../testing/classroom-kit';
import {
  CORPUS,
  corpusFile,
  filesAccess,
  getFile,
  linkingDocx,
  linkingOdt,
  pdfinfoPages,
  upload,
  uploadFile,
} from '../testing/slides-kit';

const MB = 1024 * 1024;

/** Pages after LibreOffice, from the corpus README (pdfinfo's count of the converted PDF). */
const OFFICE_PAGES: Record<string, number> = {
  'cht-chart-type.pptx': 8,
  'cht-chart-type.odp': 8,
  'dml-fill.pptx': 2,
  'tbl-cell.pptx': 3,
  'txt-font-props.pptx': 5,
  'shp-groupshape.pptx': 1,
  'shp-movie-props.pptx': 1,
  'having-images.docx': 1,
  'having-images.odt': 1,
  'tbl-having-tables.docx': 1,
  'fish.jpg': 1,
  'firefox_logo.png': 1,
};

async function added(client: TestClient, presentationId: string): Promise<Presentation> {
  const e = await client.waitForEvent(
    (x) => x.event.type === 'presentation.added' && x.event.presentationId === presentationId,
  );
  if (e.event.type !== 'presentation.added') throw new Error('unreachable');
  return { ...e.event, id: presentationId, downloadable: false, page: 1 };
}

async function processed(client: TestClient, fileId: string, timeoutMs = 60_000) {
  await client.waitForEvent((x) => x.event.type === 'presentation.processed' && x.event.fileId === fileId, timeoutMs);
}

/** Pages poppler reads, or null when it cannot read the file. */
function pagesOrNull(pdf: Buffer | string): number | null {
  try {
    return pdfinfoPages(pdf);
  } catch {
    return null;
  }
}

function qpdfCheck(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'qpdf-check-'));
  try {
    writeFileSync(path.join(dir, 'file.pdf'), pdf);
    const out = spawnSync('qpdf', ['--check', path.join(dir, 'file.pdf')], { encoding: 'utf8' });
    return `${out.stdout}${out.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Width and height from a JPEG's start-of-frame segment. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  for (let i = 2; i + 9 < jpeg.length;) {
    const marker = jpeg[i + 1];
    if (marker >= 0xc0 && marker <= 0xc3) return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('no JPEG frame');
}

/** A one-page slide whose text is these lines, as the quick-poll browser test makes it. */
async function slideOf(lines: string[]) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([842, 595]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((line, i) => page.drawText(line, { x: 60, y: 480 - i * 60, size: 36, font }));
  return Buffer.from(await doc.save());
}

/** Every page's text and size, and every thumbnail's size, once the file is processed. */
async function readPages(client: TestClient, fileId: string, pages: number, token?: string) {
  const { pages: texts, sizes } = (await (await getFile(client, fileId, 'text', token)).json()) as {
    pages: string[];
    sizes: { width: number; height: number }[];
  };
  const thumbnails = [];
  for (let n = 1; n <= pages; n++) {
    const thumb = await getFile(client, fileId, `thumbnails/${n}`, token);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    thumbnails.push(jpegSize(Buffer.from(await thumb.arrayBuffer())));
  }
  return { texts, sizes, thumbnails };
}

async function healthy(server: { url: string }) {
  const res = await fetch(`${server.url}/api/health`);
  expect(res.status).toBe(200);
}

describe('slides: upload and conversion (real server, LibreOffice, pdf.js)', () => {
  const { server, classroom } = liveClassroom();
  let teacher: TestClient;
  let student: TestClient;

  beforeAll(async () => {
    ({ teacher, student } = await classroom.withTeacherAndStudent());
  });
  /** One files token for the tests below that read many files: asking for one each time is rate-limited. */
  let studentToken: string | undefined;
  const studentFile = async (fileId: string, rest: string) =>
    getFile(student, fileId, rest, (studentToken ??= (await filesAccess(student)).access));

  it('starts every meeting on the default deck: a welcome page and blank pages', async () => {
    const slides = teacher.snapshots[0].state.slides;
    expect(slides.presentations).toHaveLength(1);
    const deck = slides.presentations[0];
    expect(deck).toMatchObject({ isDefault: true, pages: 6, processed: true, format: 'pdf' });
    expect(slides.current).toBe(deck.id);
    const res = await getFile(student, deck.fileId, 'document.pdf');
    expect(res.status).toBe(200);
    expect(pdfinfoPages(Buffer.from(await res.arrayBuffer()))).toBe(6);
  });

  const documents = readdirSync(path.join(CORPUS, 'documents')).sort();

  it.each(documents)('converts %s with the page count pdfinfo gives', async (name) => {
    const file = corpusFile(`documents/${name}`);
    const res = await uploadFile(teacher, file);
    expect(res.status).toBe(201);
    const p = await added(student, res.json.presentationId!);
    const expected = name.endsWith('.pdf') ? pdfinfoPages(file) : OFFICE_PAGES[name];
    expect(expected).toBeGreaterThan(0);
    expect(p.pages).toBe(expected);
    // What viewers render is a PDF that poppler agrees on too.
    const pdf = await getFile(student, p.fileId, 'document.pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdfinfoPages(Buffer.from(await pdf.arrayBuffer()))).toBe(expected);
  });

  it('extracts the text of each page and makes thumbnails', async () => {
    const res = await uploadFile(teacher, corpusFile('documents/tracemonkey.pdf'));
    expect(res.status).toBe(201);
    const fileId = res.json.fileId!;
    if (!(await added(teacher, res.json.presentationId!)).processed) await processed(teacher, fileId);
    const text = await getFile(student, fileId, 'text');
    expect(text.status).toBe(200);
    const {
      texts: pages,
      sizes,
      thumbnails,
    } = await readPages(student, fileId, 14, await filesAccess(student).then((a) => a.access));
    expect(pages).toHaveLength(14);
    expect(pages[0].replace(/\s+/g, ' ')).toContain(
      'Trace-based Just-in-Time Type Specialization for Dynamic Languages',
    );
    expect(pages[0]).toContain('Abstract\nDynamic languages such as JavaScript');
    expect(pages[13]).toContain('References');
    expect(pages.every((p) => p.length > 1000)).toBe(true);
    expect(sizes).toEqual(Array(14).fill({ width: 612, height: 792 }));
    // 150 px wide, as tall as the page's proportions make it.
    expect(thumbnails).toEqual(Array(14).fill({ width: 150, height: 195 }));
    const thumb = await getFile(student, fileId, 'thumbnails/1');
    expect(thumb.headers.get('cache-control')).toContain('immutable');
  });

  it('keeps each line of a slide as a line, so a quick poll is offered from its text', async () => {
    const slide = await slideOf(['Which planet is the largest?', 'A) Mars', 'B) Jupiter', 'C) Venus']);
    const res = await upload(teacher, slide, 'quiz.pdf');
    expect(res.status).toBe(201);
    const fileId = res.json.fileId!;
    if (!(await added(teacher, res.json.presentationId!)).processed) await processed(teacher, fileId);
    const { texts, sizes, thumbnails } = await readPages(student, fileId, 1);
    expect(texts).toEqual(['Which planet is the largest?\nA) Mars\nB) Jupiter\nC) Venus']);
    expect(quickPollOf(texts[0])).toEqual({
      kind: 'letters',
      options: ['A', 'B', 'C'],
      question: 'Which planet is the largest?',
    });
    expect(sizes).toEqual([{ width: 842, height: 595 }]);
    expect(thumbnails).toEqual([{ width: 150, height: 106 }]);
  });

  it('reads a PDF encrypted without a user password, and gives viewers the original with its restrictions', async () => {
    const original = readFileSync(corpusFile('documents/empty_protected.pdf'));
    const res = await upload(teacher, Buffer.concat([original, Buffer.from('\n%another copy\n')]), 'protected.pdf');
    expect(res.status).toBe(201);
    const fileId = res.json.fileId!;
    if (!(await added(teacher, res.json.presentationId!)).processed) await processed(teacher, fileId);
    const served = Buffer.from(await (await studentFile(fileId, 'document.pdf')).arrayBuffer());
    expect(served.subarray(0, original.length).equals(original)).toBe(true);
    expect((await studentFile(fileId, 'thumbnails/1')).status).toBe(200);
    const { sizes } = (await (await studentFile(fileId, 'text')).json()) as { sizes: unknown[] };
    expect(sizes).toHaveLength(1);
  });

  it('measures each page, rotation included, as pdfinfo does', async () => {
    for (const [name, expected] of [
      [
        'sizes.pdf',
        [
          [612, 792],
          [649, 323],
          [792, 612],
        ],
      ],
      // Page 2 is rotated a quarter turn: shown landscape.
      [
        'rotation.pdf',
        [
          [612, 792],
          [792, 612],
        ],
      ],
    ] as const) {
      const res = await uploadFile(teacher, corpusFile(`documents/${name}`));
      if (!(await added(teacher, res.json.presentationId!)).processed) await processed(teacher, res.json.fileId!);
      const { sizes } = (await (await getFile(student, res.json.fileId!, 'text')).json()) as {
        sizes: { width: number; height: number }[];
      };
      expect(sizes.map((s) => [Math.round(s.width), Math.round(s.height)])).toEqual(expected);
      // Thumbnails 150 px wide, a turned page included.
      const { thumbnails } = await readPages(student, res.json.fileId!, expected.length);
      expect(thumbnails.map((t) => [t.width, t.height])).toEqual(
        expected.map(([w, h]) => [150, Math.ceil((150 * h) / w)]),
      );
    }
  });

  it('serves a file uploaded again, in another room, from what is stored', async () => {
    const other = await classroom.createRoom('Histoire 1re A');
    const otherTeacher = await classroom.join(other.moderatorCode, 'M. Roux');
    const first = await uploadFile(teacher, corpusFile('documents/TAMReview.pdf'));
    expect(first.status).toBe(201);
    await processed(teacher, first.json.fileId!);
    const again = await uploadFile(otherTeacher, corpusFile('documents/TAMReview.pdf'), 'revue.pdf');
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ fileId: first.json.fileId, cached: true });
    const p = await added(otherTeacher, again.json.presentationId!);
    // Nothing left to process: text and thumbnails are there at once.
    expect(p.processed).toBe(true);
    expect(p.name).toBe('revue.pdf');
    expect((await getFile(otherTeacher, p.fileId, 'thumbnails/23')).status).toBe(200);
  });

  const malformed = readdirSync(path.join(CORPUS, 'malformed')).sort();

  it.each(malformed)('shows %s if poppler reads it (repaired if need be), else refuses it clearly', async (name) => {
    const file = corpusFile(`malformed/${name}`);
    const popplerPages = pagesOrNull(file);
    const res = await uploadFile(teacher, file);
    if (popplerPages !== null) {
      expect(res.status).toBe(201);
      const p = await added(teacher, res.json.presentationId!);
      expect(p.pages).toBe(popplerPages);
      const pdf = await studentFile(p.fileId, 'document.pdf');
      expect(pagesOrNull(Buffer.from(await pdf.arrayBuffer()))).toBe(popplerPages);
    } else {
      expect(res.status).toBe(422);
      expect(['broken_document', 'encrypted']).toContain(res.json.code);
      expect(res.json.message).toMatch(/\w{4,}/);
    }
    await healthy(server);
  });

  it('repairs a PDF whose cross-reference table is broken: viewers get the rebuilt file', async () => {
    const good = readFileSync(corpusFile('documents/tracemonkey.pdf'));
    const xref = good.lastIndexOf('xref\n0 ');
    // Every offset in the table 37 bytes off, and startxref pointing into page content.
    const table = good
      .subarray(xref)
      .toString('latin1')
      .replace(/(\d{10}) 00000 n/g, (_, o: string) => `${String(Number(o) + 37).padStart(10, '0')} 00000 n`)
      .replace(/startxref\s+\d+/, 'startxref\n123456');
    const broken = Buffer.concat([good.subarray(0, xref), Buffer.from(table, 'latin1')]);
    const res = await upload(teacher, broken, 'tracemonkey-damaged.pdf');
    expect(res.status).toBe(201);
    const p = await added(student, res.json.presentationId!);
    expect(p.pages).toBe(14);
    const served = Buffer.from(await (await studentFile(p.fileId, 'document.pdf')).arrayBuffer());
    expect(served.equals(broken)).toBe(false);
    expect(pagesOrNull(served)).toBe(14);
    // qpdf finds nothing left to reconstruct in what viewers get.
    expect(qpdfCheck(served)).not.toMatch(/reconstruct|damaged/i);
    if (!p.processed) await processed(student, p.fileId);
    const { pages } = (await (await studentFile(p.fileId, 'text')).json()) as { pages: string[] };
    expect(pages[0].replace(/\s+/g, ' ')).toContain('Trace-based Just-in-Time');
    await healthy(server);
  });

  it('repairs a PDF that opens but whose first page pdf.js cannot read', async () => {
    // Fuzzed dictionaries: pdf.js counts one page and fails on it; qpdf rebuilds it readable.
    const original = readFileSync(corpusFile('malformed/poppler-937-0-fuzzed.pdf'));
    const res = await upload(teacher, original, 'fuzzed.pdf');
    expect(res.status).toBe(201);
    const served = Buffer.from(await (await studentFile(res.json.fileId!, 'document.pdf')).arrayBuffer());
    expect(served.equals(original)).toBe(false);
    expect(qpdfCheck(served)).not.toMatch(/reconstruct|damaged/i);
  });

  it('refuses a PDF nothing can read, saying it is damaged, and keeps serving', async () => {
    const good = readFileSync(corpusFile('documents/tracemonkey.pdf'));
    // No catalog named anywhere: poppler, qpdf and pdf.js all give up.
    const hopeless = Buffer.from(good.toString('latin1').replace('/Root 995 0 R', '/Xoot 995 0 R'), 'latin1');
    expect(pagesOrNull(hopeless)).toBeNull();
    const res = await upload(teacher, hopeless, 'unreadable.pdf');
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'broken_document', message: expect.stringMatching(/damaged/) });
    await healthy(server);
    expect((await uploadFile(teacher, corpusFile('documents/rotation.pdf'))).status).toBe(201);
  });

  it('refuses a declared 60 MB upload at once, before the body is sent', async () => {
    const { access } = await filesAccess(teacher);
    const { port } = new URL(server.url);
    // Headers and 1 MB only: the answer must come without the other 59 MB.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: '/api/presentations?name=big.pdf',
        headers: { authorization: `Bearer ${access}`, 'content-length': String(60 * MB) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(MB, 0x41));
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'too_large', message: expect.stringContaining('50 MB') });
  });

  it('stops reading a streamed upload at the limit, and keeps nothing of it', async () => {
    const { access } = await filesAccess(teacher);
    const { port } = new URL(server.url);
    const total = 200 * MB;
    // No declared length: the server counts, and must stop long before the sender would.
    const outcome = await new Promise<{ status: number; body: string; written: number }>((resolve) => {
      let written = 0;
      let done = false;
      const finish = (status: number, body = '') => {
        if (done) return;
        done = true;
        resolve({ status, body, written });
      };
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: '/api/presentations?name=big.pdf',
        headers: { authorization: `Bearer ${access}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => finish(res.statusCode!, body));
        res.on('error', () => finish(res.statusCode!, body));
      });
      req.on('error', () => finish(0));
      const chunk = Buffer.alloc(MB, 0x25);
      const pump = () => {
        while (!done && written < total) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (written >= total) req.end();
      };
      pump();
    });
    // The server answers 413 and closes; a client still sending may see the connection end first.
    if (outcome.status !== 0) {
      expect(outcome.status).toBe(413);
      expect(JSON.parse(outcome.body)).toMatchObject({ code: 'too_large' });
    }
    expect(outcome.written).toBeLessThan(total);
    const storage = path.join(server.dataDir, 'presentations');
    const big = walk(storage).filter((f) => statSync(f).size > 10 * MB);
    expect(big).toEqual([]);
    expect(readdirSync(path.join(storage, '.tmp'))).toEqual([]);
    await healthy(server);
  });

  it('refuses what is not a document, whatever its name', async () => {
    const script = Buffer.from('<script>alert(document.cookie)</script>');
    const res = await upload(teacher, script, 'photo.png');
    expect(res.status).toBe(415);
    expect(res.json.code).toBe('unsupported_type');
    const empty = await upload(teacher, Buffer.alloc(0), 'vide.pdf');
    expect(empty.status).toBe(415);
    const binary = await upload(teacher, Buffer.from([0, 1, 2, 3, 0, 0, 7, 8]), 'x.pptx');
    expect(binary.status).toBe(415);
  });

  it('refuses uploads from a viewer, without a token, or without a name', async () => {
    const viewer = await upload(student, readFileSync(corpusFile('documents/alphatrans.pdf')), 'a.pdf');
    expect(viewer).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    const anonymous = await fetch(`${server.url}/api/presentations?name=a.pdf`, { method: 'PUT', body: 'x' });
    expect(anonymous.status).toBe(401);
    const { access } = await filesAccess(teacher);
    const nameless = await fetch(`${server.url}/api/presentations`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${access}` },
      body: 'x',
    });
    expect(nameless.status).toBe(400);
    // The socket's session token is not a files token, and the other way round.
    const session = await fetch(`${server.url}/api/presentations?name=a.pdf`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${teacher.session.sessionToken}` },
      body: 'x',
    });
    expect(session.status).toBe(401);
  });

  it('converts documents that link to a local file and a loopback URL without their content or any request', async () => {
    const requests: string[] = [];
    const listener = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.end('SECRET FROM THE LOOPBACK LISTENER');
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      for (const [name, bytes] of [
        ['linked.odt', linkingOdt('/etc/passwd', url)],
        ['linked.docx', linkingDocx('/etc/passwd', url)],
      ] as const) {
        const res = await upload(teacher, bytes, name);
        expect(res.status).toBe(201);
        await processed(teacher, res.json.fileId!);
        const { pages } = (await (await getFile(teacher, res.json.fileId!, 'text')).json()) as { pages: string[] };
        const text = pages.join('\n');
        expect(text).toContain('Before the links');
        expect(text).toContain('After the links');
        expect(text).not.toMatch(/root:.*:0:0:/);
        expect(text).not.toContain('SECRET');
      }
      expect(requests).toEqual([]);
    } finally {
      listener.close();
    }
  });

  it('serves files only to participants of a meeting that shows them, with fixed types', async () => {
    const res = await uploadFile(teacher, corpusFile('documents/sizes.pdf'), 'tailles <b>.pdf');
    const fileId = res.json.fileId!;
    const presentationId = res.json.presentationId!;
    // No token, a forged one, another meeting's participant: nothing.
    expect((await fetch(`${server.url}/api/presentations/${fileId}/document.pdf`)).status).toBe(401);
    expect((await getFile(student, fileId, 'document.pdf', 'forged.token')).status).toBe(401);
    const other = await classroom.createRoom('Autre salle');
    const outsider = await classroom.join(other.moderatorCode, 'Intrus');
    expect((await getFile(outsider, fileId, 'document.pdf')).status).toBe(404);
    // No way out of the storage root, no unknown page.
    for (const bad of ['..%2F..%2Fsecrets.json', '..', fileId.slice(0, 63) + 'g', fileId.toUpperCase()]) {
      expect((await getFile(student, bad, 'document.pdf')).status).toBe(404);
    }
    expect((await getFile(student, fileId, 'thumbnails/4')).status).toBe(404);
    expect((await getFile(student, fileId, 'thumbnails/..%2F..%2Fdocument.pdf')).status).toBe(404);
    expect((await getFile(student, fileId, 'thumbnails/0')).status).toBe(404);

    // Downloads: refused to a viewer until the presenter allows them.
    expect((await getFile(student, fileId, 'download/original')).status).toBe(403);
    expect(
      await student.send({ type: 'presentation.set-downloadable', presentationId, downloadable: true }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await teacher.send({ type: 'presentation.set-downloadable', presentationId, downloadable: true })).toEqual({
      ok: true,
    });
    await student.waitForEvent((e) => e.event.type === 'presentation.downloadable-changed');
    const original = await getFile(student, fileId, 'download/original');
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('application/octet-stream');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('content-disposition')).toMatch(
      /^attachment; filename="tailles <b>.pdf"; filename\*=UTF-8''tailles%20%3Cb%3E.pdf$/,
    );
    expect(Buffer.from(await original.arrayBuffer())).toEqual(readFileSync(corpusFile('documents/sizes.pdf')));
    const pdf = await getFile(student, fileId, 'download/pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect((await getFile(student, fileId, 'download/other')).status).toBe(404);
  });
});

describe('slides: presenting in sync (real server)', () => {
  const { classroom } = liveClassroom();

  it('lets the presenter turn pages and zoom; everyone follows; a late joiner lands on the same view', async () => {
    const { room, teacher, student } = await classroom.withTeacherAndStudent();
    const res = await uploadFile(teacher, corpusFile('documents/tracemonkey.pdf'));
    const id = res.json.presentationId!;
    await student.waitForEvent((e) => e.event.type === 'presentation.added');
    expect(await teacher.send({ type: 'slide.goto', presentationId: id, page: 5 })).toEqual({ ok: true });
    const viewport = { fit: 'width', zoom: 2, x: 0.25, y: 0.75 } as const;
    expect(await teacher.send({ type: 'slide.viewport', presentationId: id, viewport })).toEqual({ ok: true });
    await student.waitForEvent((e) => e.event.type === 'slide.viewport-changed');
    const late = await classroom.join(room.viewerCode, 'Zoé');
    const slides = late.snapshots[0].state.slides;
    expect(slides.current).toBe(id);
    expect(slides.presentations.find((p) => p.id === id)?.page).toBe(5);
    expect(slides.viewport).toEqual(viewport);

    // Back to the default deck and again: each presentation keeps its page.
    const deck = slides.presentations.find((p) => p.isDefault)!;
    expect(await teacher.send({ type: 'presentation.show', presentationId: deck.id })).toEqual({ ok: true });
    expect(await teacher.send({ type: 'presentation.show', presentationId: id })).toEqual({ ok: true });
    const again = await classroom.join(room.viewerCode, 'Yanis');
    expect(again.snapshots[0].state.slides.current).toBe(id);
    expect(again.snapshots[0].state.slides.presentations.find((p) => p.id === id)?.page).toBe(5);
  });

  it('refuses page turns from others, pages that do not exist, and malformed viewports', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const id = teacher.snapshots[0].state.slides.current!;
    const before = student.events.length;
    expect(await student.send({ type: 'slide.goto', presentationId: id, page: 2 })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await student.send({ type: 'presentation.remove', presentationId: id })).toMatchObject({
      code: 'forbidden',
    });
    expect(await teacher.send({ type: 'slide.goto', presentationId: id, page: 7 })).toMatchObject({
      code: 'not_found',
    });
    expect(await teacher.send({ type: 'slide.goto', presentationId: id, page: 0 })).toMatchObject({
      code: 'malformed',
    });
    expect(
      await teacher.send({
        type: 'slide.viewport',
        presentationId: id,
        viewport: { fit: 'page', zoom: 50, x: 0, y: 0 },
      }),
    ).toMatchObject({ code: 'malformed' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await teacher.send({ type: 'slide.goto', presentationId: unknown, page: 1 })).toMatchObject({
      code: 'not_found',
    });
    expect(await teacher.send({ type: 'presentation.add', uploadId: unknown })).toMatchObject({ code: 'not_found' });
    await new Promise((r) => setTimeout(r, 200));
    expect(student.events.length).toBe(before);
  });

  it('removes a presentation: the one before it shows, and its files are no longer served', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    const deck = teacher.snapshots[0].state.slides.current!;
    const res = await uploadFile(teacher, corpusFile('documents/rotation.pdf'));
    const id = res.json.presentationId!;
    await student.waitForEvent((e) => e.event.type === 'presentation.added');
    expect(await teacher.send({ type: 'presentation.remove', presentationId: id })).toEqual({ ok: true });
    const removed = await student.waitForEvent((e) => e.event.type === 'presentation.removed');
    expect(removed.event).toMatchObject({ presentationId: id });
    expect((await getFile(student, res.json.fileId!, 'document.pdf')).status).toBe(404);
    const again = await new TestClient(student.server, student.session, 'again').connect();
    expect(again.snapshots[0].state.slides.current).toBe(deck);
    again.close();
  });
});

describe('slides: without poppler (pdf.js reads every page)', () => {
  const { server, classroom } = liveClassroom({ POPPLER_DIR: '/nonexistent/poppler' });

  it('still extracts text, sizes and thumbnails, and says in its log that poppler failed', async () => {
    const { teacher, student } = await classroom.withTeacherAndStudent();
    // Other bytes than the copy uploaded by other tests: nothing is served from what is stored.
    const pdf = Buffer.concat([readFileSync(corpusFile('documents/rotation.pdf')), Buffer.from('\n%no poppler\n')]);
    const res = await upload(teacher, pdf, 'rotation.pdf');
    expect(res.status).toBe(201);
    const fileId = res.json.fileId!;
    if (!(await added(teacher, res.json.presentationId!)).processed) await processed(teacher, fileId);
    const { texts, sizes, thumbnails } = await readPages(student, fileId, 2);
    expect(texts).toHaveLength(2);
    expect(sizes).toEqual([
      { width: 612, height: 792 },
      { width: 792, height: 612 },
    ]);
    expect(thumbnails).toEqual([
      { width: 150, height: 195 },
      { width: 150, height: 116 },
    ]);
    expect(server.logs).toMatch(/poppler \(pdftoppm, pdftotext, pdfinfo\) cannot run/);
    expect(server.logs).toMatch(/poppler could not read these pages: pdf\.js reads them/);
  });
});

describe('slides: conversion time limit (real LibreOffice)', () => {
  const { server, classroom } = liveClassroom({ CONVERSION_TIMEOUT_SECONDS: '1.5' });

  it('kills a conversion that takes longer than the limit, with every LibreOffice process; the next one works', async () => {
    const { teacher } = await classroom.withTeacherAndStudent();
    // The resident LibreOffice, started with the server.
    while (sofficeProcesses(server).length === 0) await new Promise((r) => setTimeout(r, 100));
    const before = sofficeProcesses(server);
    // A long text to lay out, some 1,500 pages: many seconds, even for a warm LibreOffice (a
    // chart deck, once slow enough, now converts in about the limit).
    const lesson = Array.from({ length: 60_000 }, (_, i) => `Ligne ${i} : la photosynthèse transforme la lumière.`);
    const res = await upload(teacher, Buffer.from(lesson.join('\n'), 'utf8'), 'cours.txt');
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'conversion_timeout', message: expect.stringContaining('1.5 s') });
    await new Promise((r) => setTimeout(r, 300));
    expect(sofficeProcesses(server).filter((p) => before.includes(p))).toEqual([]);
    const next = await uploadFile(teacher, corpusFile('documents/tbl-having-tables.docx'));
    expect(next.status).toBe(201);
    await healthy(server);
  });
});

/** This server's LibreOffice processes: their profiles live under its data folder. */
function sofficeProcesses(server: { dataDir: string }): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', 'soffice.bin'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l.includes(server.dataDir) && l.includes('soffice.bin'));
  } catch {
    return [];
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}
