import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** Documents already opened, by file: switching back to a presentation is instant. */
const open = new Map<string, { task: PDFDocumentLoadingTask; doc: Promise<PDFDocumentProxy> }>();

/**
 * Opens a presentation's PDF with pdf.js. The server answers range requests, so pdf.js fetches
 * only what the shown page needs first: a 300-page book shows its first page quickly.
 */
export function openDocument(fileId: string, url: string): Promise<PDFDocumentProxy> {
  let entry = open.get(fileId);
  if (!entry) {
    // pdf.js 6 draws fonts without eval, which the page's Content-Security-Policy forbids anyway.
    const task = pdfjs.getDocument({ url, disableAutoFetch: false, rangeChunkSize: 256 * 1024 });
    entry = { task, doc: task.promise };
    open.set(fileId, entry);
    entry.doc.catch(() => open.delete(fileId));
  }
  return entry.doc;
}

export function closeDocuments() {
  for (const { task } of open.values()) void task.destroy();
  open.clear();
}
