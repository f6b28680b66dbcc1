/**
 * A worker thread that reads PDFs with pdf.js: page count (validation), then each page's text and
 * thumbnail. pdf.js parses and renders on the thread that calls it, so it runs here, off the
 * server's event loop, and a PDF that makes it loop forever only costs a worker (the pool kills it).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

async function run(task: WorkerTask, reply: (r: WorkerReply) => void) {
  const loading = await open(task.file);
  try {
    const doc = await loading.promise;
    if (task.kind === 'inspect') {
      reply({ id: task.id, type: 'done', pages: doc.numPages, texts: [], sizes: [] });
      return;
    }
    await mkdir(task.thumbsDir, { recursive: true });
    const texts: string[] = [];
    const sizes: PageSize[] = [];
    for (let n = task.from; n <= task.to; n++) {
      const page = await readPage(doc, n, task.thumbsDir, task.thumbWidth);
      texts.push(page.text);
      sizes.push(page.size);
      reply({ id: task.id, type: 'page', page: n });
    }
    reply({ id: task.id, type: 'done', pages: doc.numPages, texts, sizes });
  } finally {
    await loading.destroy();
  }
}

type Doc = Awaited<Awaited<ReturnType<typeof open>>['promise']>;

/**
 * One page's text and size (points, rotation applied), and its thumbnail written as `<n>.jpg`;
 * a broken page yields no thumbnail, not a failure.
 */
async function readPage(
  doc: Doc,
  n: number,
  thumbsDir: string,
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
    await writeFile(path.join(thumbsDir, `${n}.jpg`), await canvas.encode('jpeg', 80));
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
