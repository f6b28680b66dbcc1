/**
 * A worker thread that writes one annotated PDF. pdf-lib parses and rewrites the whole document:
 * about a second of CPU for a 1 MB PDF, more for the 50 MB an upload may be. Here that stays off
 * the server's event loop (every meeting's sockets keep flowing), and a PDF that makes pdf-lib
 * loop or swell costs only this thread, which the export service stops.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { annotatePdf, EncryptedPdfError, type AnnotatedPage } from './annotated-pdf';

export interface ExportTask {
  file: string;
  pages: AnnotatedPage[];
}

export type ExportReply =
  { ok: true; pdf: Uint8Array } | { ok: false; code: 'encrypted' | 'broken_document'; message: string };

async function run({ file, pages }: ExportTask): Promise<ExportReply> {
  try {
    return { ok: true, pdf: await annotatePdf(new Uint8Array(await readFile(file)), pages) };
  } catch (err) {
    // Encrypted, even if it opens without a password: what is added would need encrypting too.
    if (err instanceof EncryptedPdfError) return { ok: false, code: 'encrypted', message: String(err) };
    return { ok: false, code: 'broken_document', message: String(err) };
  }
}

void run(workerData as ExportTask).then((reply) =>
  parentPort!.postMessage(reply, reply.ok ? [reply.pdf.buffer as ArrayBuffer] : []),
);
