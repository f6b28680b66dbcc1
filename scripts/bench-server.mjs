// The real server for a benchmark: its own data folder (embedded PostgreSQL and LiveKit on the
// given ports), started and awaited; `stop()` ends it and removes the folder. `env` adds to or
// overrides the environment (a limit raised for the benchmark), `nodeArgs` go to node itself
// (`--cpu-prof`); `pid` is the server's process, to read its CPU time.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

export async function startBenchServer({ name, port, postgresPort, livekitPort, rtcPort, env = {}, nodeArgs = [] }) {
  const dataDir = mkdtempSync(join(tmpdir(), `estrade-${name}-`));
  chmodSync(dataDir, 0o755);
  const server = spawn(process.execPath, [...nodeArgs, join(root, 'apps/server/dist/apps/server/src/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ESTRADE_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
      EMBEDDED_LIVEKIT_PORT: String(livekitPort),
      EMBEDDED_LIVEKIT_RTC_PORT: String(rtcPort),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 1200 || server.exitCode !== null) {
      await stop();
      throw new Error('the server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, root, stop, pid: server.pid };
}
