import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, link, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DocumentFormat, MeetingEvent } from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { logger } from '../logging/logger';
import { CommandError } from '../meetings/command-error';
import { CommandBus } from '../meetings/command-bus';
import { MeetingsService } from '../meetings/meetings.service';
import { kindOf, sniffFormat } from './file-format';
import { imageToPdf } from './images';
import { OfficeConverter, scratchDir, startOfficeConverter } from './office-converter';
import { planRanges, PopplerPages, type PageRange } from './pdf-poppler';
import { PdfPool, type PageSize } from './pdf-pool';
import { READABLE, readOrRepair, type RepairOptions } from './pdf-repair';
import { PresentationsRepository } from './presentations.repository';

export interface StoredFile {
  fileId: string;
  format: DocumentFormat;
  pages: number;
  processed: boolean;
  /** Already stored before this upload: nothing was converted. */
  cached: boolean;
}

/** An upload the HTTP route accepted, waiting for its `presentation.add` command. */
interface PendingUpload {
  meetingId: string;
  participantId: string;
  name: string;
  file: StoredFile;
  presentationId?: string;
}

export type ProgressListener = (meetingIds: string[], fileId: string, done: number, total: number) => void;

const THUMB_WIDTH = 150;
/**
 * Pages read by pdf.js (when poppler cannot) per worker job: about four jobs per worker, so that
 * a worker that drew the light pages takes more instead of waiting for the one with the heavy
 * ones (a worker keeps the document open between jobs, so a job costs no new parse), and jobs
 * short enough that another upload's pages get their turn.
 */
const JOBS_PER_WORKER = 4;
const MAX_PAGES_PER_JOB = 16;
/**
 * Fewer pages than this per poppler range do not pay for the three more processes another range
 * starts: a three-page document took about twice as long as three ranges as in one.
 */
const MIN_PAGES_PER_RANGE = 4;

/**
 * Stored presentations: upload → SHA-256 → content type → PDF (as is, LibreOffice, or an image
 * page) → pdf.js validation and page count → shown; then text and thumbnails of every page in
 * the background. Files live under the storage root as `<sha256>/`, so an identical upload is
 * served from there at once.
 */
@Injectable()
export class PresentationsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly root: string;
  private readonly tmp: string;
  /** Text, sizes and thumbnails; pdf.js (the pool) reads what poppler cannot. */
  private poppler!: PopplerPages;
  private pool!: PdfPool;
  /** Its own thread: a new upload's page count never waits behind another's thumbnails. */
  private inspector!: PdfPool;
  private converter!: OfficeConverter;
  /** Files being stored or processed, so that two uploads of one file share the work. */
  private readonly storing = new Map<string, Promise<StoredFile>>();
  private readonly processing = new Map<string, Promise<void>>();
  /**
   * Meetings showing a file whose processing is not finished: they get `presentation.processed`.
   * Rebuilt from the running meetings' logs at start-up; an ended meeting leaves every set.
   */
  private readonly watchers = new Map<string, Set<string>>();
  /** Uploads between their HTTP request and its `presentation.add` command: per request by nature. */
  private readonly uploads = new Map<string, PendingUpload>();
  private readonly progressListeners: ProgressListener[] = [];
  private deck: StoredFile | null = null;

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly repo: PresentationsRepository,
    private readonly bus: CommandBus,
    private readonly meetings: MeetingsService,
  ) {
    this.root = runtime.config.slides.storageDir;
    this.tmp = scratchDir(runtime.config);
  }

  get limits() {
    const s = this.runtime.config.slides;
    return { maxBytes: s.maxBytes, maxPages: s.maxPages, conversionSeconds: s.conversionMs / 1000 };
  }

  async onModuleInit() {
    const s = this.runtime.config.slides;
    // Started by main.ts before anything else (it empties the scratch space too); here only
    // when the module runs without it.
    this.converter = this.runtime.office ?? startOfficeConverter(this.runtime.config);
    // pdf.js gets the conversion limit too, but never less than 30 s: a 500-page book takes a while.
    this.pool = new PdfPool(s.pdfWorkers, Math.max(s.conversionMs, 30_000));
    this.inspector = new PdfPool(1, Math.max(s.conversionMs, 30_000));
    this.poppler = new PopplerPages({
      dir: s.popplerDir,
      timeoutMs: Math.max(s.conversionMs, 30_000),
      maxBytes: s.maxBytes,
      concurrency: s.pdfWorkers,
    });
    // The default deck is stored like any upload; every meeting starts with it.
    const deckFile = path.join(this.runtime.config.presentationsDir, 'default.pdf');
    // pdf.js loads and warms up in every worker meanwhile, in the background: on a restart (the
    // deck already stored) the first upload would otherwise pay for it, about a second per thread.
    void this.warm(deckFile);
    const received = await this.receiveFile(deckFile);
    this.deck = await this.store(received);
    await this.processing.get(this.deck.fileId);
  }

  private qpdfOptions(): RepairOptions {
    const s = this.runtime.config.slides;
    return { qpdf: s.qpdf, timeoutMs: Math.min(s.conversionMs, 60_000), maxBytes: s.maxBytes * 2 };
  }

  private async warm(pdf: string) {
    const started = Date.now();
    await Promise.all([
      this.pool.warm(pdf, THUMB_WIDTH).then(
        () => logger.info({ ms: Date.now() - started }, 'pdf.js workers warmed up'),
        (err: unknown) => logger.warn({ err: String(err) }, 'pdf.js workers could not warm up'),
      ),
      this.inspector.warm(pdf, THUMB_WIDTH).catch(() => undefined),
      this.poppler.warm(pdf).then(
        () => logger.info({ ms: Date.now() - started }, 'poppler ready'),
        (err: Error) =>
          logger.warn(
            { err: err.message },
            'poppler (pdftoppm, pdftotext, pdfinfo) cannot run: pdf.js reads every page',
          ),
      ),
    ]);
  }

  /**
   * Presentations a restart left unprocessed in running meetings: their processing starts again
   * (or has finished meanwhile) and the meetings learn when it ends.
   */
  async onApplicationBootstrap() {
    this.meetings.onEvents((meetingId, _events, state) => {
      if (!state.endedAt) return;
      for (const [fileId, meetings] of this.watchers) {
        meetings.delete(meetingId);
        if (meetings.size === 0) this.watchers.delete(fileId);
      }
    });
    for (const meetingId of await this.meetings.runningMeetingIds()) {
      const { state } = await this.meetings.state(meetingId);
      const waiting = new Set(state.slides.presentations.filter((p) => !p.processed).map((p) => p.fileId));
      for (const fileId of waiting) {
        const file = await this.stored(fileId);
        if (file && !file.processed) this.watch(fileId, meetingId);
        else if (file) {
          await this.bus
            .system(meetingId, () => ({ events: [{ type: 'presentation.processed', fileId }] }))
            .catch((err) => logger.warn({ err: String(err), meetingId }, 'could not log a processed presentation'));
        }
      }
    }
  }

  async onModuleDestroy() {
    await Promise.all([this.pool?.close(), this.inspector?.close(), this.converter?.close()]);
  }

  onProgress(listener: ProgressListener) {
    this.progressListeners.push(listener);
  }

  /**
   * Stores a PDF the server made (a breakout room's notes or whiteboard) and returns the event
   * that adds it to a meeting, as an upload's `presentation.add` would.
   */
  async addMadePdf(meetingId: string, pdf: Uint8Array, name: string): Promise<MeetingEvent> {
    const file = await this.store(await this.receive(Readable.from([Buffer.from(pdf)])));
    this.watch(file.fileId, meetingId);
    return {
      type: 'presentation.added',
      presentationId: randomUUID(),
      fileId: file.fileId,
      name,
      format: file.format,
      pages: file.pages,
      processed: this.isProcessed(file.fileId),
      isDefault: false,
    };
  }

  /** The event that puts the default deck in a starting meeting. */
  defaultDeckEvent(): MeetingEvent {
    const deck = this.deck!;
    return {
      type: 'presentation.added',
      presentationId: randomUUID(),
      fileId: deck.fileId,
      name: 'Estrade',
      format: deck.format,
      pages: deck.pages,
      processed: true,
      isDefault: true,
    };
  }

  // Paths: every one is built from a checked SHA-256 and fixed names, so none leaves the root.
  dir(fileId: string) {
    if (!/^[0-9a-f]{64}$/.test(fileId)) throw new CommandError('not_found', 'No such presentation');
    return path.join(this.root, fileId);
  }
  pdfPath = (fileId: string) => path.join(this.dir(fileId), 'document.pdf');
  originalPath = (fileId: string) => path.join(this.dir(fileId), 'original');
  thumbnailPath = (fileId: string, page: number) => path.join(this.dir(fileId), 'thumbnails', `${page}.jpg`);
  textPath = (fileId: string) => path.join(this.dir(fileId), 'text.json');

  /**
   * Streams an upload to a temporary file, hashing as it goes; past `maxBytes` it stops reading,
   * deletes what it wrote and refuses, so an oversized upload never lands whole on disk.
   */
  async receive(body: Readable): Promise<{ tmp: string; fileId: string; bytes: number }> {
    const { maxBytes } = this.runtime.config.slides;
    const tmp = path.join(this.tmp, randomUUID());
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            bytes += chunk.length;
            if (bytes > maxBytes) throw new CommandError('too_large', `The file is larger than ${mb(maxBytes)}`);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o600 }),
      );
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof CommandError) throw err;
      throw new CommandError('malformed', 'The upload was interrupted');
    }
    if (bytes === 0) {
      await rm(tmp, { force: true });
      throw new CommandError('unsupported_type', 'The file is empty');
    }
    return { tmp, fileId: hash.digest('hex'), bytes };
  }

  private async receiveFile(file: string) {
    const bytes = await readFile(file);
    const tmp = path.join(this.tmp, randomUUID());
    await writeFile(tmp, bytes);
    return { tmp, fileId: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  }

  /** Stores a received file, or finds it stored already; either way it can be shown when this returns. */
  async store(received: { tmp: string; fileId: string; bytes: number }): Promise<StoredFile> {
    const { fileId } = received;
    const known = await this.stored(fileId);
    if (known) {
      await rm(received.tmp, { force: true });
      return known;
    }
    let pending = this.storing.get(fileId);
    if (pending) {
      await rm(received.tmp, { force: true });
      return { ...(await pending), cached: true };
    }
    pending = this.convert(received).finally(() => this.storing.delete(fileId));
    this.storing.set(fileId, pending);
    return pending;
  }

  private async stored(fileId: string): Promise<StoredFile | null> {
    const row = await this.repo.find(fileId);
    if (!row || !(await exists(this.pdfPath(fileId)))) return null;
    const processed = row.processedAt !== null;
    // Processing that a restart interrupted starts again.
    if (!processed && !this.processing.has(fileId)) this.startProcessing(fileId, row.pages);
    return { fileId, format: row.format as DocumentFormat, pages: row.pages, processed, cached: true };
  }

  private async convert(received: { tmp: string; fileId: string; bytes: number }): Promise<StoredFile> {
    const { fileId, tmp } = received;
    const started = Date.now();
    const dir = this.dir(fileId);
    try {
      const format = await sniff(tmp);
      if (!format) throw new CommandError('unsupported_type', 'This kind of file cannot be presented');
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      const original = this.originalPath(fileId);
      await rename(tmp, original);
      const pdf = this.pdfPath(fileId);
      const kind = kindOf(format);
      if (kind === 'pdf') await link(original, pdf);
      else if (kind === 'image') await imageToPdf(original, format, pdf);
      else await this.converter.toPdf(original, format, pdf);
      const { pages } =
        kind === 'pdf'
          ? await readOrRepair(pdf, dir, (file) => this.inspector.inspect(file), this.qpdfOptions())
          : await this.inspector.inspect(pdf);
      const { maxPages } = this.runtime.config.slides;
      if (pages > maxPages) {
        throw new CommandError('too_many_pages', `The document has ${pages} pages; the limit is ${maxPages}`);
      }
      // Pages are read while the row is written: a one-page document takes little longer.
      const saved = this.repo.save({ fileId, format, bytes: received.bytes, pages }, new Date());
      this.startProcessing(fileId, pages, saved);
      await saved;
      logger.info({ fileId, format, pages, ms: Date.now() - started }, 'presentation stored');
      return { fileId, format, pages, processed: false, cached: false };
    } catch (err) {
      await rm(tmp, { force: true });
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  isProcessed(fileId: string): boolean {
    return !this.processing.has(fileId);
  }

  /**
   * Text, sizes and thumbnails of every page, read by poppler in ranges that keep every core busy
   * (a range it fails on goes to pdf.js); then `presentation.processed`.
   */
  private startProcessing(fileId: string, pages: number, saved: Promise<unknown> = Promise.resolve()) {
    const started = Date.now();
    const thumbs = path.join(this.dir(fileId), 'thumbnails');
    // Pages, not calls: a range poppler gave up on half-way is read again by pdf.js.
    const done = new Set<number>();
    let lastSent = 0;
    const onPage = (page: number) => {
      done.add(page);
      const now = Date.now();
      if (done.size === pages || now - lastSent > 250) {
        lastSent = now;
        this.progress(fileId, done.size, pages);
      }
    };
    const run = async () => {
      const readable = path.join(this.dir(fileId), READABLE);
      const source = (await exists(readable)) ? readable : this.pdfPath(fileId);
      await mkdir(thumbs, { recursive: true });
      const parts = await Promise.all(
        planRanges(pages, Math.min(this.poppler.concurrency, Math.ceil(pages / MIN_PAGES_PER_RANGE))).map((r) =>
          this.readPages(fileId, source, r, thumbs, onPage),
        ),
      );
      await writeFile(
        this.textPath(fileId),
        JSON.stringify({ texts: parts.flatMap((p) => p.texts), sizes: parts.flatMap((p) => p.sizes) }),
      );
      await saved;
      await this.repo.markProcessed(fileId, new Date());
      logger.info({ fileId, pages, ms: Date.now() - started }, 'presentation processed');
    };
    const processing = run()
      .catch((err: unknown) => logger.error({ err, fileId }, 'presentation processing failed'))
      .finally(() => {
        this.processing.delete(fileId);
        const meetings = [...(this.watchers.get(fileId) ?? [])];
        this.watchers.delete(fileId);
        for (const meetingId of meetings) {
          this.bus
            .system(meetingId, () => ({ events: [{ type: 'presentation.processed', fileId }] }))
            .catch(() => undefined);
        }
      });
    this.processing.set(fileId, processing);
  }

  /** One range by poppler; when it fails, by the pdf.js workers in jobs of a few pages. */
  private async readPages(
    fileId: string,
    source: string,
    range: PageRange,
    thumbs: string,
    onPage: (page: number) => void,
  ): Promise<{ texts: string[]; sizes: PageSize[] }> {
    try {
      return await this.poppler.read(source, range, thumbs, THUMB_WIDTH, onPage);
    } catch (err) {
      logger.warn(
        { fileId, ...range, err: (err as Error).message },
        'poppler could not read these pages: pdf.js reads them',
      );
    }
    const count = range.to - range.from + 1;
    const per = Math.min(MAX_PAGES_PER_JOB, Math.max(1, Math.ceil(count / (this.pool.size * JOBS_PER_WORKER))));
    const jobs = planRanges(count, Math.ceil(count / per)).map((r) => ({
      from: range.from + r.from - 1,
      to: range.from + r.to - 1,
    }));
    const parts = await Promise.all(jobs.map((r) => this.pool.render(source, r, thumbs, THUMB_WIDTH, onPage)));
    return { texts: parts.flatMap((p) => p.texts), sizes: parts.flatMap((p) => p.sizes) };
  }

  private progress(fileId: string, done: number, total: number) {
    const meetings = [...(this.watchers.get(fileId) ?? [])];
    if (meetings.length === 0) return;
    for (const l of this.progressListeners) l(meetings, fileId, done, total);
  }

  /** This meeting shows the file: tell it when processing ends. */
  watch(fileId: string, meetingId: string) {
    if (!this.processing.has(fileId)) return;
    const set = this.watchers.get(fileId) ?? new Set();
    set.add(meetingId);
    this.watchers.set(fileId, set);
  }

  holdUpload(upload: PendingUpload): string {
    const id = randomUUID();
    this.uploads.set(id, upload);
    return id;
  }

  /** The pending upload, only for the participant and meeting it came from. */
  upload(uploadId: string, meetingId: string, participantId: string): PendingUpload | null {
    const u = this.uploads.get(uploadId);
    return u && u.meetingId === meetingId && u.participantId === participantId ? u : null;
  }

  releaseUpload(uploadId: string): void {
    this.uploads.delete(uploadId);
  }

  /** Each page's text and size, once processed. */
  async pages(fileId: string): Promise<{ texts: string[]; sizes: PageSize[] } | null> {
    try {
      return JSON.parse(await readFile(this.textPath(fileId), 'utf8')) as { texts: string[]; sizes: PageSize[] };
    } catch {
      return null;
    }
  }
}

/** The format from the first 64 KiB and the last 1 MiB (a ZIP lists its entries at the end). */
async function sniff(file: string): Promise<DocumentFormat | null> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(head, 0, head.length, 0);
    // Legacy Office files name their streams anywhere in the file: read it whole.
    const tailLength = head[0] === 0xd0 ? size : Math.min(size, 1024 * 1024);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    return sniffFormat(head, tail);
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
