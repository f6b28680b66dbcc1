/**
 * Runs tasks one after the other per key (tasks of different keys run side by side), with a
 * bound on how many may wait per key. Password attempts from one address go through it, so
 * each attempt sees the outcome of the one before: fifty guesses sent at once cannot all slip
 * past the delay before the first failure is counted.
 */
export class KeyedQueue {
  private readonly lines = new Map<string, { tail: Promise<unknown>; waiting: number }>();

  constructor(private readonly maxWaiting: number) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> | null {
    const line = this.lines.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    if (line.waiting >= this.maxWaiting) return null;
    line.waiting++;
    this.lines.set(key, line);
    const run = line.tail.then(task).finally(() => {
      if (--line.waiting === 0 && this.lines.get(key) === line) this.lines.delete(key);
    });
    line.tail = run.catch(() => undefined);
    return run;
  }
}
