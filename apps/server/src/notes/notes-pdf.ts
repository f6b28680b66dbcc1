import { Injectable } from '@nestjs/common';
import * as path from 'node:path';
import * as Y from 'yjs';
import { inWorker } from '../infra/worker-task';
import { FairTurns } from '../limits/fair-turns';
import { Turns } from '../limits/turns';
import { logger } from '../logging/logger';
import { CommandError } from '../meetings/command-error';
import type { NotesPdfTask } from './notes-pdf-worker';

/** Notes PDFs being made at once (one core left for the event loop), and waiting in line. */
const RUNNING = 1;
const WAITING = 16;
const PER_PARTICIPANT = 4;
const TIME_LIMIT_MS = 60_000;
const HEAP_MB = 512;

/**
 * The notes as a PDF, made in a worker thread of its own: every meeting's sockets keep flowing
 * while a long document is laid out, and a document that makes pdf-lib swell costs only that
 * thread. One at a time, a bounded line, and each participant's one after the other, so one
 * participant's flood never delays anyone else's by more than one.
 */
@Injectable()
export class NotesPdf {
  private readonly turns = new FairTurns(
    new Turns(RUNNING, WAITING, () => new CommandError('busy', 'Many notes are being exported: try again in a minute')),
    PER_PARTICIPANT,
    () => new CommandError('too_fast', 'Your previous exports of the notes are still being made: wait for them'),
  );

  /** `who`: whose turn it is (meeting/participant), or the server's own for its captures. */
  make(doc: Y.Doc, title: string, who: string): Promise<Uint8Array> {
    return this.turns.run(who, () => this.draw({ notes: Y.encodeStateAsUpdate(doc), title }));
  }

  private draw(task: NotesPdfTask): Promise<Uint8Array> {
    return inWorker<Uint8Array, Uint8Array>(path.join(__dirname, 'notes-pdf-worker.js'), task, (pdf) => pdf, {
      heapMb: HEAP_MB,
      timeLimitMs: TIME_LIMIT_MS,
      transfer: [task.notes.buffer as ArrayBuffer],
      timedOut: () => {
        logger.warn({ title: task.title }, 'notes PDF timed out: stopping its worker');
        return new CommandError('conversion_timeout', 'Making the PDF of the notes took too long');
      },
      died: (err) => {
        if (err) logger.warn({ title: task.title, err: String(err) }, 'notes PDF worker failed');
        return new CommandError('conversion_failed', 'The PDF of the notes could not be made');
      },
    });
  }
}
