import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A PDF command-line tool (qpdf, poppler's pdftoppm, pdftotext, pdfinfo) run on untrusted bytes:
 * no shell and none of the server's environment; prlimit caps its address space, CPU seconds and
 * the size of any file it writes (a crafted file cannot fill the disk); past `timeoutMs` it gets
 * SIGKILL; as root, `unshare --net` gives it a network namespace of its own with no interface up.
 * None of these tools fetches anything, so the namespace is a second wall, not the first: where
 * unshare cannot make one, the tool runs without it. Callers give it paths inside the
 * presentation's own folder only.
 */
export interface ToolLimits {
  timeoutMs: number;
  /** The largest file the tool may write (prlimit --fsize). */
  fileBytes: number;
  /** Address space: enough for a large page's bitmap, not for a decompression bomb. */
  memoryBytes: number;
  /** The most the tool may print on its standard output before it is killed. */
  outputBytes?: number;
}

export type ToolFailure = 'missing' | 'timeout' | 'failed' | 'too_much_output';

export class ToolError extends Error {
  constructor(
    readonly reason: ToolFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Only what prlimit and the tools need: nothing of the server's own environment. */
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

let netless: Promise<boolean> | null = null;

/** Whether `unshare --net` works here (as root, outside a container that forbids it): asked once. */
function canUnshareNet(): Promise<boolean> {
  if (process.getuid?.() !== 0) return Promise.resolve(false);
  return (netless ??= new Promise((resolve) => {
    execFile('unshare', ['--net', 'true'], { env: ENV, timeout: 5000 }, (err) => resolve(!err));
  }));
}

/**
 * Runs `binary args` under the limits and resolves with what it printed; rejects with a
 * ToolError when it is missing, runs out of time, exits non-zero or prints too much.
 * `onStderrLine` sees each line it writes to standard error as it comes (progress).
 *
 * The tool is started by a small resident Node process (pdf-tool-runner.ts) rather than by the
 * server: Node starts a process with fork(), whose cost grows with the parent's memory, and the
 * server with its pdf.js threads takes some 50 ms per tool (blocking its event loop meanwhile)
 * where the runner takes 3 — most of the time a one-page document takes. Where the runner cannot
 * run, the server starts the tool itself.
 */
export function runTool(
  binary: string,
  args: string[],
  limits: ToolLimits,
  onStderrLine?: (line: string) => void,
): Promise<{ stdout: Buffer; stderr: string }> {
  return runner.run({ binary, args, limits, progress: Boolean(onStderrLine) }, onStderrLine);
}

/** What the server asks the runner, and what the runner answers. */
export type RunnerRequest = { id: number; binary: string; args: string[]; limits: ToolLimits; progress: boolean };
export type RunnerReply =
  | { id: number; line: string }
  | { id: number; stdout: Uint8Array; stderr: string }
  | { id: number; failure: ToolFailure; message: string };

interface Pending {
  resolve(r: { stdout: Buffer; stderr: string }): void;
  reject(err: Error): void;
  onStderrLine?: (line: string) => void;
}

class ToolRunner {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly file = path.join(__dirname, 'pdf-tool-runner.js')) {}

  run(
    request: Omit<RunnerRequest, 'id'>,
    onStderrLine?: (line: string) => void,
  ): Promise<{ stdout: Buffer; stderr: string }> {
    const child = this.start();
    if (!child) return runToolHere(request.binary, request.args, request.limits, onStderrLine);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onStderrLine });
      child.ref();
      (child.channel as { ref?(): void } | undefined)?.ref?.();
      child.send({ id, ...request } satisfies RunnerRequest);
    });
  }

  /** The runner, started on first use (and again after it died); null where it cannot be. */
  private start(): ChildProcess | null {
    if (this.child) return this.child;
    // Under ts-jest there is no compiled runner: the server starts tools itself.
    if (!existsSync(this.file)) return null;
    const child = fork(this.file, [], {
      env: ENV,
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (r: RunnerReply) => this.onReply(r));
    // Gone (or never started): what it was running fails, and the next tool starts a new one.
    const lost = () => {
      if (this.child !== child) return;
      this.child = null;
      child.kill('SIGKILL');
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new ToolError('failed', 'the PDF tool runner stopped'));
      }
    };
    child.on('exit', lost);
    child.on('error', lost);
    this.child = child;
    this.idle();
    return child;
  }

  private onReply(r: RunnerReply) {
    const p = this.pending.get(r.id);
    if (!p) return;
    if ('line' in r) return p.onStderrLine?.(r.line);
    this.pending.delete(r.id);
    if ('failure' in r) p.reject(new ToolError(r.failure, r.message));
    else p.resolve({ stdout: Buffer.from(r.stdout), stderr: r.stderr });
    this.idle();
  }

  /** With nothing running, the runner does not keep the server's process alive. */
  private idle() {
    if (this.pending.size > 0 || !this.child) return;
    this.child.unref();
    (this.child.channel as { unref?(): void } | undefined)?.unref?.();
  }
}

const runner = new ToolRunner();

const running = new Set<ChildProcess>();

/** Ends every tool this process started (the runner, when the server is gone). */
export function killRunningTools() {
  for (const child of running) child.kill('SIGKILL');
}

/** runTool in this process: the runner's own way of starting a tool. */
export async function runToolHere(
  binary: string,
  args: string[],
  limits: ToolLimits,
  onStderrLine?: (line: string) => void,
): Promise<{ stdout: Buffer; stderr: string }> {
  const limited = [
    `--as=${limits.memoryBytes}`,
    `--fsize=${limits.fileBytes}`,
    `--cpu=${Math.max(1, Math.ceil(limits.timeoutMs / 1000))}`,
    '--',
    binary,
    ...args,
  ];
  const [command, commandArgs] = (await canUnshareNet())
    ? ['unshare', ['--net', '--', 'prlimit', ...limited]]
    : ['prlimit', limited];
  const maxOutput = limits.outputBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const stdout: Buffer[] = [];
    let outputBytes = 0;
    let stderr = '';
    let pending = '';
    let failure: ToolError | null = null;
    const kill = (e: ToolError) => {
      failure ??= e;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => kill(new ToolError('timeout', `${name(binary)} took longer than ${limits.timeoutMs / 1000} s`)),
      limits.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > maxOutput) return kill(new ToolError('too_much_output', `${name(binary)} printed too much`));
      stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Only the end is kept for the log: a broken file can make a tool complain for megabytes.
      stderr = (stderr + chunk).slice(-4000);
      if (!onStderrLine) return;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) onStderrLine(line);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      running.delete(child);
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT'
          ? new ToolError('missing', `${command} is missing`)
          : new ToolError('failed', `${name(binary)}: ${err.message}`),
      );
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (pending && onStderrLine) onStderrLine(pending);
      if (code === 0) return resolve({ stdout: Buffer.concat(stdout), stderr });
      // prlimit's own "failed to execute": the tool itself is not there.
      if (code === 127 && /failed to execute/.test(stderr)) {
        return reject(new ToolError('missing', `${binary} is missing`));
      }
      const why = signal === 'SIGXCPU' || signal === 'SIGKILL' ? 'its CPU time limit' : `exit ${code ?? signal}`;
      reject(new ToolError('failed', `${name(binary)} failed (${why}): ${stderr.trim().slice(-300)}`));
    });
  });
}

const name = (binary: string) => binary.slice(binary.lastIndexOf('/') + 1);
