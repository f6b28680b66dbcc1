import { Worker } from 'node:worker_threads';

export interface WorkerTaskOptions {
  /** The worker's old-generation heap, in MB: a document that swells costs only that thread. */
  heapMb: number;
  timeLimitMs: number;
  /** Objects whose memory moves to the worker rather than being copied. */
  transfer?: ArrayBuffer[];
  /** What the task fails with: past its time limit, or when the worker dies (out of memory, crash). */
  timedOut: () => Error;
  died: (err?: unknown) => Error;
}

/**
 * Runs one task in a worker thread of its own, off the server's event loop, within a time and a
 * memory budget: the worker posts one message (its result), and is stopped whatever happens.
 * `reply` turns that message into the result or an error.
 */
export function inWorker<R, M>(
  file: string,
  workerData: unknown,
  reply: (message: M) => R | Error,
  options: WorkerTaskOptions,
): Promise<R> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, {
      workerData,
      transferList: options.transfer,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
    });
    // Workers must not keep the process alive on their own.
    worker.unref();
    let settled = false;
    const settle = (result: R | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => settle(options.timedOut()), options.timeLimitMs);
    worker.on('message', (m: M) => settle(reply(m)));
    worker.on('error', (err) => settle(options.died(err)));
    worker.on('exit', () => settle(options.died()));
  });
}
