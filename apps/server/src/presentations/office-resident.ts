import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { DocumentFormat } from '@estrade/protocol';
import { logger } from '../logging/logger';
import { failedError, timeoutError } from './office-cold';
import { needsRestart, parseUnoMessage, pdfExportFilter, type UnoMessage, type UnoRequest } from './office-uno';

export interface ResidentOptions {
  /** soffice-sandbox: no network, its own PID namespace, the profile seeded with our settings. */
  sandbox: string;
  /** soffice-resident.py, run by `python` inside the sandbox; it starts `soffice` there. */
  helper: string;
  python: string;
  soffice: string;
  timeoutMs: number;
  restartEvery: number;
  /** Each conversion's files, deleted after it. */
  tmpDir: string;
  /** Each LibreOffice's throwaway profile, deleted when it exits. */
  profileDir: string;
}

/** Starting takes seconds; more than this means it will not start. */
const START_MS = 60_000;
/** Longer than any warm-up step (loading a module) takes: past it, the helper is stuck. */
const WARM_STEP_MS = 30_000;
/** After a failed start, conversions go to cold LibreOffices for a while before the next try. */
const RETRY_AFTER_MS = 5 * 60_000;

/** The resident LibreOffice cannot start: the caller converts with a cold one instead. */
export class ResidentUnavailable extends Error {}

type Outcome = 'converted' | 'failed' | 'timeout' | 'crashed';

interface Instance {
  child: ChildProcessWithoutNullStreams;
  conversions: number;
  pending: { id: number; started: () => void; answer: (m: UnoMessage) => void; crashed: () => void } | null;
  exited: Promise<void>;
}

/**
 * One LibreOffice kept running between conversions and driven over UNO: starting soffice is
 * most of a small document's conversion time, so the server starts it when it starts, and every
 * upload finds it warm. Once started it converts an empty document of each module (and a chart)
 * while no upload waits: one arriving meanwhile waits for one of those steps at most.
 *
 * Isolation as for a cold conversion: the same sandbox around the helper and soffice, a
 * throwaway profile deleted with each process. One conversion at a time (the converter's queue
 * sees to it). Past the time limit the whole sandbox is killed; after a crash, a time-out or
 * `restartEvery` conversions a fresh one starts at once with a fresh profile, in the background.
 */
export class ResidentOffice {
  private current: Promise<Instance> | null = null;
  private live: Instance | null = null;
  private nextId = 1;
  private retryAfter = 0;
  private closed = false;

  constructor(private readonly o: ResidentOptions) {}

  /** Starts LibreOffice now, without waiting, so that the next upload finds it ready. */
  warmUp(): void {
    this.instance().catch(() => undefined);
  }

  async convert(input: string, format: DocumentFormat, output: string): Promise<void> {
    const job = path.join(this.o.tmpDir, `job-${randomUUID()}`);
    await mkdir(job, { recursive: true });
    try {
      // The extension tells LibreOffice which import filter to try first (plain text needs it).
      const source = path.join(job, `source.${format}`);
      await link(input, source).catch(() => copyFile(input, source));
      const request = { input: source, output: path.join(job, 'document.pdf'), filter: pdfExportFilter(format) };
      const started = Date.now();
      let { outcome, error } = await this.run(await this.instance(), request);
      // A crash may be the process's, not the document's (killed from outside, out of memory):
      // one more try on a fresh LibreOffice; a document that crashes it twice is refused.
      if (outcome === 'crashed') {
        logger.warn({ format }, 'the resident LibreOffice died during a conversion: trying once more');
        ({ outcome, error } = await this.run(await this.instance(), request));
      }
      const ms = Date.now() - started;
      if (outcome === 'timeout') {
        logger.warn({ format, ms }, 'LibreOffice conversion timed out: killed');
        throw timeoutError(this.o.timeoutMs);
      }
      if (outcome !== 'converted') {
        logger.warn({ format, err: error ?? outcome }, 'LibreOffice conversion failed');
        throw failedError();
      }
      await rename(request.output, output);
      logger.info({ format, ms }, 'converted with the resident LibreOffice');
    } finally {
      await rm(job, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const live = this.live ?? (await this.current?.catch(() => null));
    if (live) {
      live.child.kill('SIGKILL');
      await live.exited;
    }
  }

  private instance(): Promise<Instance> {
    if (this.closed) return Promise.reject(new ResidentUnavailable('the server is stopping'));
    if (!this.current) {
      if (Date.now() < this.retryAfter) return Promise.reject(new ResidentUnavailable('it failed to start recently'));
      const starting = this.start();
      this.current = starting;
      starting.catch((err: unknown) => {
        if (this.current === starting) this.current = null;
        this.retryAfter = Date.now() + RETRY_AFTER_MS;
        if (!this.closed) {
          logger.warn({ err: String(err) }, 'the resident LibreOffice could not start: converting with cold ones');
        }
      });
    }
    return this.current;
  }

  private start(): Promise<Instance> {
    const started = Date.now();
    const profile = path.join(this.o.profileDir, `resident-${randomUUID()}`);
    const child = spawn(this.o.sandbox, [this.o.helper, `-env:UserInstallation=file://${profile}`, this.o.soffice], {
      // soffice-sandbox runs $SOFFICE_BINARY with our arguments: here, Python with the helper.
      env: { ...process.env, SOFFICE_BINARY: this.o.python },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    // Writing to a helper that just died: its exit is handled below.
    child.stdin.on('error', () => undefined);
    const inst: Instance = {
      child,
      conversions: 0,
      pending: null,
      exited: new Promise((resolve) => child.once('close', () => resolve())),
    };
    return new Promise<Instance>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new ResidentUnavailable(`not ready after ${START_MS / 1000} s`));
      }, START_MS);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const message = parseUnoMessage(line);
        if (!message) return;
        if ('ready' in message) {
          clearTimeout(timer);
          this.live = inst;
          logger.info({ ms: Date.now() - started, pid: child.pid }, 'resident LibreOffice ready');
          resolve(inst);
        } else if (inst.pending?.id === message.id) {
          if ('started' in message) inst.pending.started();
          else inst.pending.answer(message);
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new ResidentUnavailable(err.message));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        void rm(profile, { recursive: true, force: true });
        reject(new ResidentUnavailable(`it exited (${code ?? signal}) while starting: ${stderr.slice(-500)}`));
        inst.pending?.crashed();
        // Closed: the server is stopping and killed it; nothing to say or restart.
        if (this.live === inst && !this.closed) {
          logger.warn({ code, signal, stderr: stderr.slice(-500) }, 'the resident LibreOffice exited: restarting it');
          this.replace(inst);
        }
      });
    });
  }

  /** Sends one request and waits for its answer, the time limit, or the helper's death. */
  private async run(inst: Instance, request: Omit<UnoRequest, 'id'>): Promise<{ outcome: Outcome; error?: string }> {
    const id = this.nextId++;
    const result = await new Promise<{ outcome: Outcome; error?: string }>((resolve) => {
      const done = (r: { outcome: Outcome; error?: string }) => {
        clearTimeout(timer);
        inst.pending = null;
        resolve(r);
      };
      // The time limit counts from when the helper takes the request up: a fresh LibreOffice may
      // first finish a warm-up step (a second or two). One that never takes it up is stuck.
      let timer = setTimeout(() => done({ outcome: 'timeout' }), Math.max(this.o.timeoutMs, WARM_STEP_MS));
      inst.pending = {
        id,
        started: () => {
          clearTimeout(timer);
          timer = setTimeout(() => done({ outcome: 'timeout' }), this.o.timeoutMs);
        },
        answer: (m) => done('error' in m ? { outcome: 'failed', error: m.error } : { outcome: 'converted' }),
        crashed: () => done({ outcome: 'crashed' }),
      };
      if (inst.child.exitCode !== null || inst.child.signalCode !== null) return done({ outcome: 'crashed' });
      inst.child.stdin.write(JSON.stringify({ id, ...request } satisfies UnoRequest) + '\n');
    });
    if (result.outcome !== 'crashed') inst.conversions++;
    if (needsRestart(result.outcome, inst.conversions, this.o.restartEvery)) this.replace(inst);
    return result;
  }

  /** Kills this LibreOffice (its whole sandbox) if it still runs, and starts the next one. */
  private replace(inst: Instance) {
    if (this.live !== inst) return;
    this.live = null;
    this.current = null;
    inst.child.kill('SIGKILL');
    if (!this.closed) this.warmUp();
  }
}
