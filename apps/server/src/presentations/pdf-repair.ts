import { open, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { CommandError } from '../meetings/command-error';
import { logger } from '../logging/logger';
import { runTool, type ToolError } from './pdf-tool';

/**
 * Damaged PDFs rebuilt by qpdf (Debian's `qpdf`), which reconstructs a broken cross-reference
 * table from the objects themselves, as poppler and browsers do when they read such a file. The
 * rebuilt file is the one we store: every browser then opens a sound PDF instead of re-indexing
 * a damaged one on each student's machine, and pdf.js gets a second chance at a file it refused.
 *
 * qpdf reads untrusted bytes, so it runs as pdf-tool.ts runs such tools (no shell, prlimit,
 * SIGKILL past its time) and writes only to the given output, in the presentation's own folder.
 */
export interface RepairOptions {
  qpdf: string;
  timeoutMs: number;
  /** The largest repaired file accepted: beyond it the repair fails. */
  maxBytes: number;
}

/** Beside document.pdf, a decrypted copy that our own reading uses instead, when there is one. */
export const READABLE = 'readable.pdf';

type Inspected = { pages: number; firstPage: boolean };

const MEMORY_LIMIT = 2 * 1024 * 1024 * 1024;

/**
 * The page count of an uploaded PDF, repairing it first when it is damaged: a cross-reference
 * table that does not start where the file says, a file pdf.js refuses, or a first page it
 * cannot read. The repaired file replaces `document.pdf` (the original stays as uploaded). A
 * file that nothing can read is refused as `broken_document`.
 */
export async function readOrRepair(
  pdf: string,
  dir: string,
  inspect: (file: string) => Promise<Inspected>,
  options: RepairOptions,
): Promise<{ pages: number }> {
  if (await looksEncrypted(pdf)) {
    // Viewers get the original, restrictions included; we read a decrypted copy (see decryptPdf).
    const readable = path.join(dir, READABLE);
    if (await decryptPdf(pdf, readable, options)) {
      const r = await inspect(readable).catch(() => null);
      if (r?.firstPage) return r;
      await rm(readable, { force: true });
    }
  }
  const repaired = path.join(dir, 'repaired.pdf');
  const repair = () => repairPdf(pdf, repaired, options);
  const adopt = async () => {
    await rm(pdf, { force: true });
    await rename(repaired, pdf);
  };
  let tried = false;
  if (!(await xrefLooksSound(pdf))) {
    tried = true;
    if (await repair()) {
      const fixed = await inspect(repaired).catch(() => null);
      if (fixed?.firstPage) {
        await adopt();
        return fixed;
      }
      await rm(repaired, { force: true });
    }
  }
  let first: Inspected | null = null;
  let error: unknown = null;
  try {
    first = await inspect(pdf);
    if (first.firstPage || tried) return first;
  } catch (err) {
    if (!(err instanceof CommandError && err.code === 'broken_document')) throw err;
    error = err;
  }
  if (!tried && (await repair())) {
    const fixed = await inspect(repaired).catch(() => null);
    // The repaired file when it reads better; the original when pdf.js could open it at least.
    if (fixed && (fixed.firstPage || !first)) {
      await adopt();
      return fixed;
    }
    await rm(repaired, { force: true });
  }
  if (first) return first;
  logger.info({ err: String(error) }, 'a PDF nothing could read was refused');
  throw new CommandError(
    'broken_document',
    'This PDF is damaged beyond repair: it could not be read, even after trying to rebuild it',
  );
}

/** Writes a rebuilt copy of `input` to `output`; false (and nothing left behind) when qpdf cannot. */
export const repairPdf = (input: string, output: string, o: RepairOptions) => qpdf(input, output, o, 'repair');

/**
 * Writes a decrypted copy of a PDF encrypted without a user password (it opens for anyone, with
 * restrictions such as "no copying"): pdf.js derives an AES-256 key in JavaScript each time it
 * opens one, a quarter of a second, so our own reading works on this copy, while viewers keep
 * getting the original with its restrictions. False when a password is needed.
 */
export const decryptPdf = (input: string, output: string, o: RepairOptions) => qpdf(input, output, o, 'decrypt');

async function qpdf(input: string, output: string, o: RepairOptions, mode: 'repair' | 'decrypt'): Promise<boolean> {
  const started = Date.now();
  const args = [
    // Warnings are what a repair is made of (exit 3): the result decides, not the exit code.
    '--warning-exit-0',
    '--no-original-object-ids',
    ...(mode === 'decrypt' ? ['--decrypt'] : []),
    input,
    output,
  ];
  const ok = await runTool(o.qpdf, args, {
    timeoutMs: o.timeoutMs,
    fileBytes: o.maxBytes,
    memoryBytes: MEMORY_LIMIT,
    outputBytes: 256 * 1024,
  }).then(
    () => true,
    (err: ToolError) => {
      logger.warn(
        { err: err.reason === 'missing' ? 'prlimit or qpdf is missing' : err.message.slice(-500) },
        `qpdf could not ${mode} a PDF`,
      );
      return false;
    },
  );
  const size = ok
    ? await stat(output).then(
        (s) => s.size,
        () => 0,
      )
    : 0;
  if (!ok || size === 0 || size > o.maxBytes) {
    await rm(output, { force: true });
    return false;
  }
  logger.info(
    { ms: Date.now() - started, bytes: size },
    mode === 'repair' ? 'damaged PDF rebuilt by qpdf' : 'PDF decrypted for reading',
  );
  return true;
}

/** Whether the end of the file (its last trailer or xref stream) names an /Encrypt dictionary. */
export async function looksEncrypted(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(Math.min(size, 4096));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return tail.includes('/Encrypt');
  } finally {
    await handle.close();
  }
}

/**
 * Whether the file's last `startxref` points at a cross-reference table (`xref`) or stream
 * (`<n> <g> obj`), and the table's first few objects are where it says. A file where they are not
 * opens only after its reader has scanned every object (pdf.js does, in each viewer's browser).
 */
export async function xrefLooksSound(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (offset: number, length: number) => {
      const b = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      await handle.read(b, 0, b.length, offset);
      return b;
    };
    const offset = startxrefOffset(await read(Math.max(0, size - 2048), 2048));
    if (offset === null || offset >= size) return false;
    const at = await read(offset, 512);
    if (!pointsAtXref(at)) return false;
    for (const entry of tableEntries(at)) {
      const obj = (await read(entry.offset, 32)).toString('latin1');
      if (!new RegExp(`^\\s*${entry.number}\\s+\\d+\\s+obj\\b`).test(obj)) return false;
    }
    return true;
  } finally {
    await handle.close();
  }
}

/** The offset named by the last `startxref` in the end of a file, if any. */
export function startxrefOffset(tail: Buffer): number | null {
  const text = tail.toString('latin1');
  const i = text.lastIndexOf('startxref');
  if (i < 0) return null;
  const m = /^startxref\s+(\d{1,15})/.exec(text.slice(i));
  return m ? Number(m[1]) : null;
}

/** The first few objects in use that a classic cross-reference table locates (none for a stream). */
export function tableEntries(at: Buffer, max = 3): { number: number; offset: number }[] {
  const text = at.toString('latin1');
  const head = /^\s*xref\s+(\d+)\s+(\d+)\s+/.exec(text);
  if (!head) return [];
  const entries: { number: number; offset: number }[] = [];
  const row = /(\d{10}) (\d{5}) ([nf])\s*/y;
  row.lastIndex = head[0].length;
  for (let number = Number(head[1]); entries.length < max; number++) {
    const m = row.exec(text);
    if (!m) break;
    if (m[3] === 'n' && Number(m[1]) > 0) entries.push({ number, offset: Number(m[1]) });
  }
  return entries;
}

/** The bytes at a `startxref` offset begin a cross-reference table or an xref stream object. */
export function pointsAtXref(at: Buffer): boolean {
  return /^\s*(xref\b|\d+\s+\d+\s+obj\b)/.test(at.toString('latin1'));
}
