/**
 * A worker thread that reads PDFs with pdf.js: page count (validation), then each page's text and
 * thumbnail. pdf.js parses and renders on the thread that calls it, so it runs here, off the
 * server's event loop, and a PDF that makes it loop forever only costs a worker (the pool kills it).
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PageSize, WorkerReply, WorkerTask } from './pdf-pool';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;
const load = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

const assets = path.dirname(require.resolve('pdfjs-dist/package.json'));

async function open(file: string) {
  const { getDocument } = await load();
  const data = new Uint8Array(await readFile(file));
  return getDocument({
    data,
    // Never reach outside: fonts and character maps come from pdf.js itself.
    disableFontFace: true,
    useSystemFonts: false,
    standardFontDataUrl: `${assets}/standard_fonts/`,
    cMapUrl: `${assets}/cmaps/`,
    // No wasmUrl: with it pdf.js also manages ICC colours (qcms), a third slower on image-heavy
    // books; without it JPEG 2000 and JBIG2 images stay blank in thumbnails only (browsers draw
    // the pages themselves, with every decoder).
    verbosity: 0,
  });
}

/**
 * The document this worker read last stays open for the next job: a document's pages come in
 * several jobs, and reopening it for each would parse it and load its fonts again (fonts are most
 * of a text page's cost). Keyed by path, size and modification time: a path reused for another
 * file (a presentation removed and uploaded again, a repaired file) opens afresh.
 */
let cached: { key: string; doc: Promise<Doc>; loading: Loading; idle: NodeJS.Timeout | null } | null = null;
const IDLE_CLOSE_MS = 20_000;

type Loading = Awaited<ReturnType<typeof open>>;

async function document(file: string): Promise<Doc> {
  const { size, mtimeMs } = await stat(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  if (cached?.key !== key) {
    await close();
    const loading = await open(file);
    cached = { key, doc: loading.promise, loading, idle: null };
  }
  if (cached.idle) clearTimeout(cached.idle);
  cached.idle = null;
  return cached.doc;
}

async function close() {
  const c = cached;
  cached = null;
  if (c?.idle) clearTimeout(c.idle);
  await c?.loading.destroy();
}

/** A finished job leaves its document open a while for the next one, then frees its memory. */
function release() {
  if (!cached) return;
  cached.idle = setTimeout(() => void close(), IDLE_CLOSE_MS);
  cached.idle.unref();
}

async function run(task: WorkerTask, reply: (r: WorkerReply) => void) {
  try {
    if (task.kind === 'inspect') {
      // Its own thread, one document each: nothing to keep.
      const loading = await open(task.file);
      try {
        const doc = await loading.promise;
        const firstPage = await doc.getPage(1).then(
          () => true,
          () => false,
        );
        reply({ id: task.id, type: 'done', pages: doc.numPages, firstPage, texts: [], sizes: [] });
      } finally {
        await loading.destroy();
      }
      return;
    }
    if (task.kind === 'warm') {
      const loading = await open(task.file);
      try {
        await readPage(await loading.promise, 1, null, task.thumbWidth);
      } finally {
        await loading.destroy();
      }
      reply({ id: task.id, type: 'done', pages: 0, firstPage: true, texts: [], sizes: [] });
      return;
    }
    const doc = await document(task.file);
    await mkdir(task.thumbsDir, { recursive: true });
    const texts: string[] = [];
    const sizes: PageSize[] = [];
    for (let n = task.from; n <= task.to; n++) {
      const page = await readPage(doc, n, task.thumbsDir, task.thumbWidth);
      texts.push(page.text);
      sizes.push(page.size);
      reply({ id: task.id, type: 'page', page: n });
    }
    reply({ id: task.id, type: 'done', pages: doc.numPages, firstPage: true, texts, sizes });
  } catch (err) {
    // A document that failed is not worth keeping.
    await close();
    throw err;
  } finally {
    release();
  }
}

type Doc = Awaited<Awaited<ReturnType<typeof open>>['promise']>;

/**
 * One page's text and size (points, rotation applied), and its thumbnail written as `<n>.jpg`
 * (nowhere without `thumbsDir`: warming up); a broken page yields no thumbnail, not a failure.
 */
async function readPage(
  doc: Doc,
  n: number,
  thumbsDir: string | null,
  width: number,
): Promise<{ text: string; size: PageSize }> {
  let text = '';
  let size: PageSize = { width: 0, height: 0 };
  try {
    const page = await doc.getPage(n);
    const { width: w, height: h } = page.getViewport({ scale: 1 });
    size = { width: Math.round(w * 100) / 100, height: Math.round(h * 100) / 100 };
    const content = await page.getTextContent();
    text = content.items
      .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
      .join('')
      .trim();
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: width / base.width });
    // In Node, pdf.js draws on @napi-rs/canvas through its own canvas factory.
    const factory = doc.canvasFactory as {
      create(w: number, h: number): { canvas: { encode(f: 'jpeg', q: number): Promise<Buffer> }; context: unknown };
    };
    const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
    type Render = Parameters<typeof page.render>[0];
    await page.render({
      canvas: canvas as unknown as Render['canvas'],
      canvasContext: context as Render['canvasContext'],
      viewport,
    }).promise;
    const jpeg = await canvas.encode('jpeg', 80);
    if (thumbsDir) await writeFile(path.join(thumbsDir, `${n}.jpg`), jpeg);
    page.cleanup();
  } catch {
    // The page shows (or not) in the browser's own pdf.js; the strip shows its number instead.
  }
  return { text, size };
}

function codeOf(err: unknown): 'encrypted' | 'broken_document' {
  return (err as { name?: string } | null)?.name === 'PasswordException' ? 'encrypted' : 'broken_document';
}

parentPort!.on('message', (task: WorkerTask) => {
  const reply = (r: WorkerReply) => parentPort!.postMessage(r);
  run(task, reply).catch((err: unknown) =>
    reply({ id: task.id, type: 'error', code: codeOf(err), message: String((err as Error)?.message ?? err) }),
  );
});
