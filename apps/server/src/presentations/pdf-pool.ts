import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CommandError } from '../meetings/command-error';
import { logger } from '../logging/logger';

export type WorkerTask =
  | { id: number; kind: 'inspect'; file: string }
  | { id: number; kind: 'render'; file: string; from: number; to: number; thumbsDir: string; thumbWidth: number }
  | { id: number; kind: 'warm'; file: string; thumbWidth: number };
type NewTask = WorkerTask extends infer T ? (T extends WorkerTask ? Omit<T, 'id'> : never) : never;

export type PageSize = { width: number; height: number };

export type WorkerReply =
  | { id: number; type: 'page'; page: number }
  | { id: number; type: 'done'; pages: number; firstPage: boolean; texts: string[]; sizes: PageSize[] }
  | { id: number; type: 'error'; code: 'encrypted' | 'broken_document'; message: string };

type Done = { pages: number; firstPage: boolean; texts: string[]; sizes: PageSize[] };

interface Job {
  task: WorkerTask;
  onPage?: (page: number) => void;
  resolve(r: Done): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A fixed set of pdf.js worker threads taking jobs in order. A job that outlives `timeoutMs`
 * (a PDF crafted to loop) or crashes its worker fails alone: the worker is replaced.
 */
export class PdfPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    private readonly timeoutMs: number,
    private readonly workerFile = path.join(__dirname, 'pdf-worker.js'),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** The page count, and whether the first page can be read (a document that opens may still not show). */
  inspect(file: string): Promise<{ pages: number; firstPage: boolean }> {
    return this.submit({ kind: 'inspect', file });
  }

  /**
   * Loads pdf.js in every worker and reads one page of `file` through it (text and an unsaved
   * thumbnail), so that the first upload after a start finds compiled, warmed-up code.
   */
  async warm(file: string, thumbWidth: number): Promise<void> {
    await Promise.all(this.slots.map(() => this.submit({ kind: 'warm', file, thumbWidth })));
  }

  render(
    file: string,
    range: { from: number; to: number },
    thumbsDir: string,
    thumbWidth: number,
    onPage?: (page: number) => void,
  ): Promise<{ texts: string[]; sizes: PageSize[] }> {
    return this.submit({ kind: 'render', file, ...range, thumbsDir, thumbWidth }, onPage);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new CommandError('internal', 'The server is stopping'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private submit(task: NewTask, onPage?: (page: number) => void): Promise<Done> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new CommandError('internal', 'The server is stopping'));
      this.queue.push({ task: { ...task, id: this.nextId++ } as WorkerTask, onPage, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.workerFile), job: null, timer: null };
    slot.worker.on('message', (r: WorkerReply) => this.onReply(slot, r));
    slot.worker.on('error', (err) => this.fail(slot, err));
    slot.worker.on('exit', (code) => {
      if (!this.closed) this.fail(slot, new Error(`pdf worker exited with ${code}`));
    });
    // Workers must not keep the process alive on their own.
    slot.worker.unref();
    return slot;
  }

  private pump() {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        logger.warn({ file: job.task.file }, 'pdf job timed out: replacing its worker');
        this.fail(slot, new CommandError('conversion_timeout', 'Reading this document took too long'));
      }, this.timeoutMs);
      slot.worker.postMessage(job.task);
    }
  }

  private onReply(slot: Slot, r: WorkerReply) {
    const job = slot.job;
    if (!job || job.task.id !== r.id) return;
    if (r.type === 'page') {
      job.onPage?.(r.page);
      return;
    }
    this.finish(slot);
    if (r.type === 'done') job.resolve({ pages: r.pages, firstPage: r.firstPage, texts: r.texts, sizes: r.sizes });
    else job.reject(new CommandError(r.code, r.code === 'encrypted' ? 'This PDF needs a password' : 'Broken PDF'));
    this.pump();
  }

  /** The worker died or hung: its job fails, a fresh worker takes its place. */
  private fail(slot: Slot, err: Error) {
    const job = slot.job;
    this.finish(slot);
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (!this.closed) this.slots[i] = this.spawn();
    else this.slots.splice(i, 1);
    job?.reject(err instanceof CommandError ? err : new CommandError('broken_document', 'Broken PDF'));
    this.pump();
  }

  private finish(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }
}
