import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { corpusFile } from '../testing/slides-kit';
import { PopplerPages } from './pdf-poppler';
import { ToolError } from './pdf-tool';

/**
 * A page that opens at once but takes forever to draw: a form drawing another form ten times,
 * nine deep (a billion squares), a PDF's "billion laughs".
 */
async function endlessPage(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([200, 200]);
  const form = (content: string, inner?: ReturnType<typeof doc.context.register>) =>
    doc.context.register(
      doc.context.stream(content, {
        Type: 'XObject',
        Subtype: 'Form',
        BBox: [0, 0, 200, 200],
        ...(inner ? { Resources: { XObject: { X: inner } } } : {}),
      }),
    );
  let inner = form('0 0 200 200 re f');
  for (let depth = 0; depth < 9; depth++) inner = form(Array(10).fill('/X Do').join('\n'), inner);
  page.node.setXObject(PDFName.of('X'), inner);
  const content = doc.context.register(doc.context.stream('/X Do'));
  page.node.set(PDFName.of('Contents'), content);
  return Buffer.from(await doc.save());
}

describe('poppler pages (pdftoppm, pdftotext, pdfinfo under limits)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'poppler-pages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a range: text, sizes in points, thumbnails named by page', async () => {
    const poppler = new PopplerPages({ dir: null, timeoutMs: 30_000, maxBytes: 50 * 1024 * 1024, concurrency: 2 });
    const seen: number[] = [];
    const { texts, sizes } = await poppler.read(corpusFile('documents/sizes.pdf'), { from: 2, to: 3 }, dir, 150, (n) =>
      seen.push(n),
    );
    expect(texts).toHaveLength(2);
    expect(sizes).toEqual([
      { width: 649, height: 323 },
      { width: 792, height: 612 },
    ]);
    expect(seen.sort()).toEqual([2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['2.jpg', '3.jpg']);
  });

  it('kills a document that takes too long to draw, and leaves nothing behind', async () => {
    const pdf = path.join(dir, 'endless.pdf');
    writeFileSync(pdf, await endlessPage());
    const thumbs = path.join(dir, 'thumbnails');
    mkdirSync(thumbs);
    const poppler = new PopplerPages({ dir: null, timeoutMs: 1500, maxBytes: 50 * 1024 * 1024, concurrency: 2 });
    const started = Date.now();
    const failure = await poppler.read(pdf, { from: 1, to: 1 }, thumbs, 150).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolError);
    expect((failure as ToolError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readdirSync(thumbs)).toEqual([]);
    // No pdftoppm left drawing it.
    await new Promise((r) => setTimeout(r, 200));
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(pdf) && !l.includes('ps -eo'));
    expect(left).toEqual([]);
  });

  it('fails, rather than guess, when a tool is missing', async () => {
    const poppler = new PopplerPages({ dir: '/nonexistent', timeoutMs: 5000, maxBytes: 1024 * 1024, concurrency: 1 });
    const failure = await poppler.read(corpusFile('documents/sizes.pdf'), { from: 1, to: 1 }, dir, 150).catch((e) => e);
    expect(failure).toMatchObject({ reason: 'missing' });
  });
});
