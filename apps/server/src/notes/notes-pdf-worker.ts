/**
 * A worker thread that writes the notes as one PDF. pdf-lib lays out and writes every line: some
 * 3 s of CPU for a million characters, which here stays off the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '@estrade/protocol';
import { notesPdf } from './notes-export';

export interface NotesPdfTask {
  /** The notes as one Yjs update. */
  notes: Uint8Array;
  title: string;
}

async function run({ notes, title }: NotesPdfTask): Promise<Uint8Array> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, notes);
  return notesPdf(doc.getXmlFragment(NOTES_FRAGMENT), title);
}

void run(workerData as NotesPdfTask).then((pdf) => parentPort!.postMessage(pdf, [pdf.buffer as ArrayBuffer]));
