import { execFile, spawn } from 'node:child_process';

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
 */
export async function runTool(
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
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT'
          ? new ToolError('missing', `${command} is missing`)
          : new ToolError('failed', `${name(binary)}: ${err.message}`),
      );
    });
    child.on('close', (code, signal) => {
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
