import { readdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { PageSize } from './pdf-pool';
import { Turns } from '../limits/turns';
import { runTool, ToolError, type ToolLimits } from './pdf-tool';

/**
 * Each page's text, size and thumbnail read by poppler (Debian's poppler-utils): pdftoppm draws a
 * range of pages in one process, about three times faster than pdf.js on a text page (pdf.js
 * draws on its canvas glyph by glyph), pdftotext and pdfinfo give the text and sizes in a few
 * milliseconds a page. The tools run as pdf-tool.ts runs them (prlimit, SIGKILL past their time)
 * and write only thumbnails into the presentation's folder. Whatever fails here (a tool missing,
 * a document poppler refuses, a thumbnail not drawn) is a ToolError: the caller then reads the
 * range with pdf.js, as before.
 */
export interface PopplerOptions {
  /** The folder holding pdftoppm, pdftotext and pdfinfo; null: found on PATH. */
  dir: string | null;
  timeoutMs: number;
  /** The largest file a tool may write (a thumbnail is a few kilobytes). */
  maxBytes: number;
  /** Ranges read at once, all documents together: one per core keeps the cores busy. */
  concurrency: number;
}

export type PageRange = { from: number; to: number };

/** Thumbnails and text of a few hundred pages fit well under this; a bitmap bomb does not. */
const MEMORY_LIMIT = 1024 * 1024 * 1024;
const TEXT_LIMIT = 64 * 1024 * 1024;

export class PopplerPages {
  private readonly turns: Turns;

  constructor(private readonly o: PopplerOptions) {
    this.turns = new Turns(o.concurrency);
  }

  get concurrency(): number {
    return this.o.concurrency;
  }

  /**
   * Runs each tool once on page 1 of `file`, printing to nowhere: loads their libraries and
   * fontconfig's cache before the first upload, and tells whether poppler is there at all.
   */
  async warm(file: string): Promise<void> {
    const page = ['-f', '1', '-l', '1'];
    await Promise.all([
      runTool(
        this.tool('pdftoppm'),
        [...page, '-scale-to-x', '150', '-scale-to-y', '-1', '-jpeg', file],
        this.limits(),
      ),
      runTool(this.tool('pdftotext'), [...page, '-enc', 'UTF-8', file, '-'], this.limits()),
      runTool(this.tool('pdfinfo'), [...page, file], this.limits()),
    ]);
  }

  private tool(name: 'pdftoppm' | 'pdftotext' | 'pdfinfo') {
    return this.o.dir ? path.join(this.o.dir, name) : name;
  }

  private limits(outputBytes = 1024 * 1024): ToolLimits {
    return { timeoutMs: this.o.timeoutMs, fileBytes: this.o.maxBytes, memoryBytes: MEMORY_LIMIT, outputBytes };
  }

  /**
   * The text and size of pages `from`–`to`, and their thumbnails as `<n>.jpg` in `thumbsDir`,
   * `width` pixels wide; `onPage(n)` as each thumbnail lands. The three tools run at once.
   */
  read(
    file: string,
    range: PageRange,
    thumbsDir: string,
    width: number,
    onPage?: (page: number) => void,
  ): Promise<{ texts: string[]; sizes: PageSize[] }> {
    return this.turns.run(async () => {
      const count = range.to - range.from + 1;
      const pages = ['-f', String(range.from), '-l', String(range.to)];
      // All three settle before a failure is told: pdf.js then redraws the range alone.
      const [texts, sizes, drawn] = await Promise.allSettled([
        runTool(this.tool('pdftotext'), [...pages, '-enc', 'UTF-8', file, '-'], this.limits(TEXT_LIMIT)).then((r) =>
          splitPages(r.stdout.toString('utf8'), count),
        ),
        runTool(this.tool('pdfinfo'), [...pages, file], this.limits()).then((r) =>
          pageSizes(r.stdout.toString('utf8'), range),
        ),
        this.thumbnails(file, range, thumbsDir, width, onPage),
      ]);
      for (const r of [drawn, texts, sizes]) if (r.status === 'rejected') throw r.reason;
      return {
        texts: (texts as PromiseFulfilledResult<string[]>).value,
        sizes: (sizes as PromiseFulfilledResult<PageSize[]>).value,
      };
    });
  }

  private async thumbnails(
    file: string,
    range: PageRange,
    thumbsDir: string,
    width: number,
    onPage?: (page: number) => void,
  ) {
    // pdftoppm names its files <prefix>-<zero-padded page>.jpg; each is renamed <n>.jpg as
    // -progress announces it (printed once the file is written).
    const prefix = path.join(thumbsDir, `.poppler-${range.from}-${range.to}`);
    const drawn = new Set<number>();
    let renames = Promise.resolve();
    const args = [
      '-f',
      String(range.from),
      '-l',
      String(range.to),
      // The crop box, as pdf.js and browsers show a page (pdftoppm's default is the media box).
      '-cropbox',
      '-scale-to-x',
      String(width),
      '-scale-to-y',
      '-1',
      // Without it, a page turned a quarter gets the width meant for its height.
      '-scale-dimension-before-rotation',
      '-jpeg',
      '-jpegopt',
      'quality=80',
      '-progress',
      file,
      prefix,
    ];
    try {
      await runTool(this.tool('pdftoppm'), args, this.limits(), (line) => {
        const done = progressLine(line);
        if (!done || done.page < range.from || done.page > range.to || !done.file.startsWith(prefix)) return;
        renames = renames.then(async () => {
          await rename(done.file, path.join(thumbsDir, `${done.page}.jpg`));
          drawn.add(done.page);
          onPage?.(done.page);
        });
      });
    } finally {
      await renames.catch(() => undefined);
      await removeLeftovers(thumbsDir, path.basename(prefix));
    }
    await renames;
    for (let n = range.from; n <= range.to; n++) {
      if (!drawn.has(n)) throw new ToolError('failed', `pdftoppm drew no thumbnail of page ${n}`);
    }
  }
}

/** Files a killed or failed pdftoppm left half written. */
async function removeLeftovers(dir: string, prefix: string) {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(path.join(dir, n), { force: true })));
}

/** pdftoppm -progress: "<page> <last page> <file written>". */
export function progressLine(line: string): { page: number; file: string } | null {
  const m = /^(\d+) (\d+) (.+)$/.exec(line);
  return m ? { page: Number(m[1]), file: m[3] } : null;
}

/**
 * pdftotext's output split into pages: each page ends with a form feed. Text is trimmed and
 * blank lines between blocks dropped, as pdf.js gave it (one line per line). A count that does
 * not match (a form feed inside a page's own text) is a failure, never text shifted onto the
 * wrong pages.
 */
export function splitPages(output: string, count: number): string[] {
  const parts = output.split('\f');
  // The last form feed ends the last page: what follows it is empty.
  if (parts.length !== count + 1 || parts[count].trim() !== '') {
    throw new ToolError('failed', `pdftotext gave ${parts.length - 1} pages instead of ${count}`);
  }
  return parts.slice(0, count).map((t) => t.trim().replace(/\n\s*\n/g, '\n'));
}

/**
 * Page sizes from `pdfinfo -f a -l b`: "Page    2 size:  612 x 792 pts (letter)" and
 * "Page    2 rot:   90". The crop box, in points, a quarter turn swapping width and height, to
 * 0.01: what pdf.js's viewport at scale 1 gives.
 */
export function pageSizes(output: string, range: PageRange): PageSize[] {
  const sizes = new Map<number, PageSize>();
  const turned = new Set<number>();
  for (const line of output.split('\n')) {
    const size = /^Page\s+(\d+)\s+size:\s+([\d.]+) x ([\d.]+) pts/.exec(line);
    if (size) sizes.set(Number(size[1]), { width: round(Number(size[2])), height: round(Number(size[3])) });
    const rot = /^Page\s+(\d+)\s+rot:\s+(-?\d+)/.exec(line);
    if (rot && Math.abs(Number(rot[2])) % 180 === 90) turned.add(Number(rot[1]));
  }
  const result: PageSize[] = [];
  for (let n = range.from; n <= range.to; n++) {
    const s = sizes.get(n);
    if (!s) throw new ToolError('failed', `pdfinfo gave no size for page ${n}`);
    result.push(turned.has(n) ? { width: s.height, height: s.width } : s);
  }
  return result;
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Ranges for `parts` poppler jobs running at once: contiguous, so each job parses the document
 * once and draws neighbouring pages (they share fonts and images); the first range starts at
 * page 1, so the first thumbnails come first.
 */
export function planRanges(pages: number, parts: number): PageRange[] {
  const n = Math.max(1, Math.min(parts, pages));
  const ranges: PageRange[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * pages) / n) + 1;
    const to = Math.floor(((i + 1) * pages) / n);
    if (from <= to) ranges.push({ from, to });
  }
  return ranges;
}
