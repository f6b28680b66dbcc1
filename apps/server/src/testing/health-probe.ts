import { execFile } from 'node:child_process';

/**
 * Latencies (ms) of /api/health asked every 20 ms for `ms`, from a separate Node process (so the
 * test's own work does not delay the asking): how quickly the server answers everyone meanwhile.
 */
export function healthProbe(url: string, ms: number): Promise<number[]> {
  const script = `
    const end = Date.now() + ${ms}; const out = [];
    (async () => {
      await fetch(${JSON.stringify(`${url}/api/health`)}); // the first fetch loads Node's HTTP client
      while (Date.now() < end) {
        const t = performance.now();
        await fetch(${JSON.stringify(`${url}/api/health`)});
        out.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout)))),
  );
}
