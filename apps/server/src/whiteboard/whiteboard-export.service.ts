import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import * as path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { annotationsOf, PresentationId, type Presentation, type Whiteboard } from '@estrade/protocol';
import { inWorker } from '../infra/worker-task';
import { FairTurns } from '../limits/fair-turns';
import { HttpLimits } from '../limits/http-limits';
import { Turns } from '../limits/turns';
import { logger } from '../logging/logger';
import { CommandError } from '../meetings/command-error';
import { baseName } from '../presentations/file-response';
import { PresentationsAccess } from '../presentations/presentations-access';
import { PresentationsService } from '../presentations/presentations.service';
import { addressOf } from '../web/client-address';
import type { AnnotatedPage } from './annotated-pdf';
import type { ExportReply, ExportTask } from './annotate-worker';

/**
 * Exports run one worker thread each, two at a time (a class downloading at the end of the
 * lesson queues up rather than taking every core), and each within a time and memory budget:
 * a page may hold 5,000 shapes of 10,000 points, and a PDF may be 50 MB.
 */
const RUNNING = 2;
const WAITING = 32;
const PER_PARTICIPANT = 4;
const TIME_LIMIT_MS = 60_000;
const HEAP_MB = 1024;

export type AnnotatedPdf = { name: string } & ({ file: string } | { bytes: Uint8Array });

/** The annotated PDF download: a presentation's PDF with its annotations drawn in as vectors. */
@Injectable()
export class WhiteboardExportService {
  private readonly turns = new Turns(
    RUNNING,
    WAITING,
    () => new CommandError('busy', 'Many annotated PDFs are being made: try again in a minute'),
  );
  /** A participant's exports one after the other: their flood holds one of the turns, never both. */
  private readonly fair = new FairTurns(
    this.turns,
    PER_PARTICIPANT,
    () => new CommandError('too_fast', 'Your previous annotated PDFs are still being made: wait for them'),
  );

  constructor(
    private readonly access: PresentationsAccess,
    private readonly presentations: PresentationsService,
    private readonly limits: HttpLimits,
  ) {}

  /**
   * The PDF of presentation `presentationId` (made of file `fileId`) with its annotations, for
   * a caller who may download it: on the same terms as the PDF alone.
   */
  async annotated(req: Request, fileId: string, presentationId: unknown): Promise<AnnotatedPdf> {
    const { caller, presentations } = await this.access.presentationsOf(req, fileId);
    const id = PresentationId.safeParse(presentationId);
    if (!id.success) throw new CommandError('malformed', 'The presentation (query parameter presentation) is missing');
    const p = presentations.find((x) => x.id === id.data);
    if (!p) throw new CommandError('not_found', 'No such presentation in this meeting');
    this.access.toDownload(caller, [p]);
    const name = `${baseName(p.name)} (annotated).pdf`;
    const file = this.presentations.pdfPath(fileId);
    const pages = annotatedPages(caller.state.whiteboard, p);
    // Nothing drawn: the PDF as it is.
    if (pages.length === 0) return { name, file };
    // Only drawing is an export's work: the route's own rate was taken already.
    const who = { meetingId: caller.meetingId, participantId: caller.actor.id };
    this.limits.take('export', addressOf(req), who);
    return {
      name,
      bytes: await this.fair.run(`${who.meetingId}/${who.participantId}`, () => this.draw({ file, pages })),
    };
  }

  /**
   * Only the drawn pages of a presentation, annotations included (a breakout room's whiteboard
   * brought back to the main room); null when nothing is drawn on it.
   */
  async drawnPages(p: Presentation, whiteboard: Whiteboard): Promise<Uint8Array | null> {
    const pages = annotatedPages(whiteboard, p);
    if (pages.length === 0) return null;
    const whole = await this.turns.run(() => this.draw({ file: this.presentations.pdfPath(p.fileId), pages }));
    const source = await PDFDocument.load(whole);
    const out = await PDFDocument.create();
    for (const page of await out.copyPages(
      source,
      pages.map((x) => x.page - 1),
    ))
      out.addPage(page);
    return out.save();
  }

  private draw(task: ExportTask): Promise<Uint8Array> {
    return inWorker<Uint8Array, ExportReply>(
      path.join(__dirname, 'annotate-worker.js'),
      task,
      (r) => {
        if (r.ok) return r.pdf;
        logger.warn({ file: task.file, err: r.message }, 'annotated PDF failed');
        return new CommandError(
          r.code,
          r.code === 'encrypted'
            ? 'This PDF is encrypted: annotations cannot be added to it (download the PDF alone)'
            : 'Annotations cannot be added to this PDF (download the PDF alone)',
        );
      },
      {
        heapMb: HEAP_MB,
        timeLimitMs: TIME_LIMIT_MS,
        timedOut: () => {
          logger.warn({ file: task.file }, 'annotated PDF timed out: stopping its worker');
          return new CommandError('conversion_timeout', 'Drawing the annotations into this PDF took too long');
        },
        // Out of memory or crashed: the export fails alone.
        died: (err) => {
          if (err) logger.warn({ file: task.file, err: String(err) }, 'annotated PDF worker failed');
          return new CommandError('conversion_failed', 'The annotated PDF could not be made');
        },
      },
    );
  }
}

/** The annotated pages of a presentation, with what drawing needs of each shape. */
function annotatedPages(whiteboard: Whiteboard, p: Presentation): AnnotatedPage[] {
  const pages: AnnotatedPage[] = [];
  for (let page = 1; page <= p.pages; page++) {
    const shapes = annotationsOf(whiteboard, p.id, page).map(({ kind, points, colour, size, fill, text, chart }) => ({
      kind,
      points,
      colour,
      size,
      fill,
      text,
      chart,
    }));
    if (shapes.length) pages.push({ page, shapes });
  }
  return pages;
}
