import * as fs from 'node:fs';

/**
 * A component that could not start, said in one line a person can act on: which component,
 * why, and what to do. main() prints it and exits non-zero; never a stack trace.
 */
export class StartupError extends Error {
  constructor(
    readonly component: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`${component}: ${reason}. ${hint}`);
  }
}

/** Whether a process with this pid exists (a signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops a process left behind by a crashed server: `signal` first, SIGKILL after `graceMs`. */
export async function stopOrphan(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const killAt = Date.now() + graceMs;
  // A killed process nobody reaps stays a zombie: after SIGKILL, a few seconds more at most.
  const giveUpAt = killAt + 5000;
  let killed = false;
  while (isAlive(pid) && commandLineOf(pid) !== '' && Date.now() < giveUpAt) {
    if (!killed && Date.now() > killAt) {
      killed = true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The command line of a running process, or '' (gone, or not ours to read). */
export function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}
