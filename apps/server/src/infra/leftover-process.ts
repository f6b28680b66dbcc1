import * as fs from 'node:fs';

/**
 * Stops a process a crashed server left running on this data folder: the pid is the first line
 * of `pidFile`, and the process must still be alive with `marker` in its command line (a reused
 * pid belongs to someone else). `signal` first, SIGKILL after `graceMs`. Returns the pid stopped.
 */
export async function stopLeftover(
  pidFile: string,
  marker: string,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<number | null> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !commandLineOf(pid).includes(marker)) return null;
  await stop(pid, signal, graceMs);
  return pid;
}

/** Whether a process with this pid exists (a signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stop(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
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
function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}
