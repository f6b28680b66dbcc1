import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import type { Presentation } from '@estrade/protocol';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';
import { corpusFile, filesAccess, getFile, pdfinfoPages, upload } from '../testing/slides-kit';

/** Renders at 144 dpi: two pixels a page point. */
const DPI = 144;
const PX = DPI / 72;
const RED = [0xe0, 0x31, 0x31] as const;
const BLUE = [0x19, 0x71, 0xc2] as const;

/** One page as poppler draws it (rotation applied, the CropBox only), as RGB pixels. */
function render(pdf: Buffer, page: number) {
  const ppm = execFileSync(
    'pdftoppm',
    ['-r', String(DPI), '-f', String(page), '-l', String(page), '-singlefile', '-cropbox', '-'],
    { input: pdf, maxBuffer: 64 * 1024 * 1024 },
  );
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'));
  if (!header) throw new Error('pdftoppm gave no PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = ppm.subarray(header[0].length);
  return {
    /** The displayed page's size in points. */
    size: [width / PX, height / PX],
    pixels,
    /** The colour at a point of the displayed page (page coordinates, as annotations are). */
    at(x: number, y: number): [number, number, number] {
      const i = (Math.round(y * PX) * width + Math.round(x * PX)) * 3;
      return [pixels[i], pixels[i + 1], pixels[i + 2]];
    },
  };
}

const near = (c: readonly number[], ink: readonly number[], tolerance = 24) =>
  c.every((v, i) => Math.abs(v - ink[i]) <= tolerance);

/** Whether ink of that colour is anywhere in a small square around the point. */
function inkAround(page: ReturnType<typeof render>, x: number, y: number, ink: readonly number[], radius = 4) {
  for (let dy = -radius; dy <= radius; dy += 0.5) {
    for (let dx = -radius; dx <= radius; dx += 0.5) if (near(page.at(x + dx, y + dy), ink, 40)) return true;
  }
  return false;
}

/** GET …/download/annotated as the web app links it: `annotatedPdfUrl(presentation, access)`. */
async function annotatedPdf(client: TestClient, p: { fileId: string; id: string }, token?: string | null) {
  const access = token === undefined ? (await filesAccess(client)).access : token;
  const query = new URLSearchParams({ presentation: p.id, ...(access === null ? {} : { access }) });
  return fetch(`${client.server.url}/api/presentations/${p.fileId}/download/annotated?${query}`);
}

/** Uploads a document as the presenter and waits for it in the meeting. */
async function present(teacher: TestClient, bytes: Buffer, name: string): Promise<{ id: string; fileId: string }> {
  const res = await upload(teacher, bytes, name);
  expect(res.status).toBe(201);
  const [id, fileId] = [res.json.presentationId!, res.json.fileId!];
  const added = await teacher.waitForEvent(
    (e) => e.event.type === 'presentation.added' && e.event.presentationId === id,
  );
  if (added.event.type === 'presentation.added' && !added.event.processed) {
    await teacher.waitForEvent((e) => e.event.type === 'presentation.processed' && e.event.fileId === fileId, 60_000);
  }
  return { id, fileId };
}

const rectangle = (id: string, from: [number, number], to: [number, number]) => ({
  id,
  kind: 'rectangle',
  points: [from, to],
  colour: '#e03131',
  size: 4,
  fill: true,
});

describe('whiteboard: the annotated PDF download (real server, pdf-lib, poppler)', () => {
  const { server, classroom } = liveClassroom();
  let teacher: TestClient;
  let student: TestClient;
  let deck: { id: string; fileId: string };

  beforeAll(async () => {
    ({ teacher, student } = await classroom.withTeacherAndStudent());
    deck = await present(teacher, readFileSync(corpusFile('documents/tracemonkey.pdf')), 'TraceMonkey.pdf');
  });

  it('draws a filled rectangle on page 2 where the presenter drew it, and leaves page 1 as it was', async () => {
    const drawn = rectangle('rect-page-2', [100, 150], [300, 250]);
    expect(await teacher.send({ type: 'annotation.add', presentationId: deck.id, page: 2, shapes: [drawn] })).toEqual({
      ok: true,
    });
    const res = await annotatedPdf(teacher, deck);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="TraceMonkey (annotated).pdf"; filename*=UTF-8''TraceMonkey%20(annotated).pdf`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const annotated = Buffer.from(await res.arrayBuffer());
    const original = Buffer.from(await (await getFile(teacher, deck.fileId, 'document.pdf')).arrayBuffer());
    expect(pdfinfoPages(annotated)).toBe(14);

    const page2 = render(annotated, 2);
    for (const [x, y] of [
      [200, 200],
      [110, 160],
      [290, 240],
    ]) {
      expect(page2.at(x, y)).toEqual([...RED]);
    }
    // Around it, the page as it was (the border is 4 pt wide: 2 pt outside the corners' box).
    const before2 = render(original, 2);
    for (const [x, y] of [
      [92, 200],
      [308, 200],
      [200, 142],
      [200, 258],
    ]) {
      expect(near(page2.at(x, y), RED)).toBe(false);
      expect(page2.at(x, y)).toEqual(before2.at(x, y));
    }
    expect(near(before2.at(200, 200), RED)).toBe(false);

    // Page 1 has no annotations: every pixel as in the PDF alone.
    const page1 = render(annotated, 1);
    expect(page1.pixels.equals(render(original, 1).pixels)).toBe(true);
    expect(page1.pixels.includes(Buffer.from(RED))).toBe(false);
  });

  it('draws a pencil stroke, and text that a PDF reader finds', async () => {
    const points = Array.from({ length: 61 }, (_, i) => [100 + i * 5, 500]);
    const shapes = [
      { id: 'pencil-page-3', kind: 'pencil', points, colour: '#1971c2', size: 8, fill: false },
      {
        id: 'text-page-3',
        kind: 'text',
        points: [
          [60, 600],
          [400, 650],
        ],
        colour: '#1e1e1e',
        size: 18,
        fill: false,
        text: 'Bonjour la classe',
      },
    ];
    expect(await teacher.send({ type: 'annotation.add', presentationId: deck.id, page: 3, shapes })).toEqual({
      ok: true,
    });
    const annotated = Buffer.from(await (await annotatedPdf(teacher, deck)).arrayBuffer());
    const page3 = render(annotated, 3);
    for (const x of [150, 250, 350]) expect(inkAround(page3, x, 500, BLUE)).toBe(true);
    expect(inkAround(page3, 250, 520, BLUE, 2)).toBe(false);
    const text = execFileSync('pdftotext', ['-f', '3', '-l', '3', '-', '-'], { input: annotated, encoding: 'utf8' });
    expect(text).toContain('Bonjour la classe');
  });

  it('puts the rectangle in place on a page turned a quarter (/Rotate 90)', async () => {
    const rotated = await present(teacher, readFileSync(corpusFile('documents/rotation.pdf')), 'rotation.pdf');
    // Shown landscape: 792 × 612. Off-centre, so a wrong turn would miss it.
    const drawn = rectangle('rect-rotated', [500, 80], [700, 180]);
    expect(
      await teacher.send({ type: 'annotation.add', presentationId: rotated.id, page: 2, shapes: [drawn] }),
    ).toEqual({ ok: true });
    const page = render(Buffer.from(await (await annotatedPdf(teacher, rotated)).arrayBuffer()), 2);
    expect(page.size).toEqual([792, 612]);
    expect(page.at(600, 130)).toEqual([...RED]);
    expect(page.at(510, 90)).toEqual([...RED]);
    for (const [x, y] of [
      [490, 130],
      [710, 130],
      [600, 70],
      [600, 190],
      // Where a page turned the wrong way would have it.
      [92, 432],
      [130, 600],
    ]) {
      expect(near(page.at(x, y), RED)).toBe(false);
    }
  });

  it('puts the rectangle in place on a page whose boxes are away from the origin, turned three quarters', async () => {
    // MediaBox from (100, 200), CropBox from (150, 250): 512 × 692 pt shown, then /Rotate 270.
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const p = doc.addPage([612, 792]);
    p.setMediaBox(100, 200, 612, 792);
    p.setCropBox(150, 250, 512, 692);
    p.setRotation(degrees(270));
    p.drawText('A page with offset boxes', { x: 170, y: 900, size: 14, font });
    const made = await present(teacher, Buffer.from(await doc.save()), 'boxes.pdf');
    const sizes = (await (await getFile(teacher, made.fileId, 'text')).json()) as { sizes: unknown };
    expect(sizes).toMatchObject({ sizes: [{ width: 692, height: 512 }] });

    const drawn = rectangle('rect-offset', [50, 60], [200, 160]);
    expect(await teacher.send({ type: 'annotation.add', presentationId: made.id, page: 1, shapes: [drawn] })).toEqual({
      ok: true,
    });
    const page = render(Buffer.from(await (await annotatedPdf(teacher, made)).arrayBuffer()), 1);
    expect(page.size).toEqual([692, 512]);
    expect(page.at(125, 110)).toEqual([...RED]);
    expect(page.at(60, 70)).toEqual([...RED]);
    for (const [x, y] of [
      [40, 110],
      [210, 110],
      [125, 50],
      [125, 170],
    ]) {
      expect(near(page.at(x, y), RED)).toBe(false);
    }
  });

  it('sends the PDF as it is when nothing is drawn on it', async () => {
    const plain = await present(teacher, readFileSync(corpusFile('documents/sizes.pdf')), 'tailles.pdf');
    const res = await annotatedPdf(teacher, plain);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tailles \(annotated\)\.pdf"/);
    const stored = await (await getFile(teacher, plain.fileId, 'document.pdf')).arrayBuffer();
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(stored))).toBe(true);
  });

  it('answers clearly when the PDF is encrypted, and keeps serving', async () => {
    // Opens without a password, so it was accepted; pdf-lib cannot write into it.
    const locked = await present(teacher, readFileSync(corpusFile('documents/empty_protected.pdf')), 'protégé.pdf');
    const drawn = rectangle('rect-encrypted', [100, 100], [200, 200]);
    expect(await teacher.send({ type: 'annotation.add', presentationId: locked.id, page: 1, shapes: [drawn] })).toEqual(
      {
        ok: true,
      },
    );
    const res = await annotatedPdf(teacher, locked);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'encrypted', message: expect.stringContaining('PDF alone') });
    expect((await getFile(teacher, locked.fileId, 'download/pdf')).status).toBe(200);
    await healthy(server.url);
  });

  it('refuses without a valid files token, to a viewer until downloads are allowed, and unknown presentations', async () => {
    expect((await annotatedPdf(student, deck, null)).status).toBe(401);
    expect((await annotatedPdf(student, deck, 'forged.token')).status).toBe(401);
    expect((await annotatedPdf(student, deck, teacher.session.sessionToken)).status).toBe(401);
    // A viewer: not before the presenter allows downloading this presentation.
    const refused = await annotatedPdf(student, deck);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden' });
    // Unknown: a presentation of no meeting, another file's, another meeting's; not an id at all.
    const other: Presentation = teacher.snapshots[0].state.slides.presentations[0];
    for (const p of [
      { ...deck, id: randomUUID() },
      { ...deck, id: other.id },
      { ...deck, fileId: 'f'.repeat(64) },
      { ...deck, fileId: '..%2F..%2Fdocument.pdf' },
    ]) {
      expect((await annotatedPdf(teacher, p)).status).toBe(404);
    }
    const outsider = await classroom.join((await classroom.createRoom('Autre salle')).moderatorCode, 'Intrus');
    expect((await annotatedPdf(outsider, deck)).status).toBe(404);
    for (const id of ['not-an-id', '']) {
      const malformed = await annotatedPdf(teacher, { ...deck, id });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ code: 'malformed' });
    }

    expect(
      await teacher.send({ type: 'presentation.set-downloadable', presentationId: deck.id, downloadable: true }),
    ).toEqual({ ok: true });
    await student.waitForEvent((e) => e.event.type === 'presentation.downloadable-changed');
    const allowed = await annotatedPdf(student, deck);
    expect(allowed.status).toBe(200);
    expect(pdfinfoPages(Buffer.from(await allowed.arrayBuffer()))).toBe(14);
    await healthy(server.url);
  });
});

async function healthy(url: string) {
  expect((await fetch(`${url}/api/health`)).status).toBe(200);
}
