import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';

/**
 * pdf.js is loaded when the first presentation is opened, not with the classroom: it is the
 * largest part of the app, and a page that shows cameras first need not wait for it.
 */
let pdfjs: Promise<typeof import('pdfjs-dist')> | null = null;
function loadPdfjs() {
  pdfjs ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    },
  );
  return pdfjs;
}

/** Documents already opened, by file: switching back to a presentation is instant. */
const open = new Map<string, { task: Promise<PDFDocumentLoadingTask>; doc: Promise<PDFDocumentProxy> }>();

/**
 * Opens a presentation's PDF with pdf.js. The server answers range requests, so pdf.js fetches
 * only what the shown page needs first: a 300-page book shows its first page quickly.
 */
export function openDocument(fileId: string, url: string): Promise<PDFDocumentProxy> {
  let entry = open.get(fileId);
  if (!entry) {
    // pdf.js 6 draws fonts without eval, which the page's Content-Security-Policy forbids anyway.
    const task = loadPdfjs().then((lib) =>
      lib.getDocument({ url, disableAutoFetch: false, rangeChunkSize: 256 * 1024 }),
    );
    entry = { task, doc: task.then((t) => t.promise) };
    open.set(fileId, entry);
    entry.doc.catch(() => open.delete(fileId));
  }
  return entry.doc;
}

export function closeDocuments() {
  for (const { task } of open.values()) void task.then((t) => t.destroy());
  open.clear();
}
