import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { logger } from '../logging/logger';
import { stopLeftover } from './leftover-process';
import { StartupError } from './startup-error';

const COMPONENT = 'embedded LiveKit';
const HINT = 'Set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to use another LiveKit server';

export interface RunningLivekit {
  url: string;
  stop(): Promise<void>;
}

/** Where the LiveKit server binary is: given, on PATH, or the one scripts/bootstrap built. */
export function findLivekitBinary(repoRoot: string, given?: string): string {
  const candidates = [given, path.join(repoRoot, 'tools/bin/livekit-server'), path.join(repoRoot, 'tools/bin/server')];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  const onPath = spawnSync('sh', ['-c', 'command -v livekit-server'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  throw new StartupError(
    COMPONENT,
    'the LiveKit server binary was not found',
    'Run `node scripts/bootstrap.mjs` (it builds tools/bin/server), put livekit-server on PATH, or set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
  );
}

/**
 * A LiveKit server on loopback only, for `npm start` and the tests: no external IP discovery,
 * loopback ICE candidates, webhooks to this Estrade server.
 */
export function livekitConfigYaml(o: {
  port: number;
  rtcPort: number;
  apiKey: string;
  apiSecret: string;
  webhookUrl: string;
}): string {
  // JSON is valid YAML and sidesteps quoting of the generated secret.
  return JSON.stringify(
    {
      port: o.port,
      bind_addresses: ['127.0.0.1'],
      rtc: {
        tcp_port: o.rtcPort,
        udp_port: o.rtcPort,
        node_ip: '127.0.0.1',
        use_external_ip: false,
        enable_loopback_candidate: true,
      },
      keys: { [o.apiKey]: o.apiSecret },
      webhook: { api_key: o.apiKey, urls: [o.webhookUrl] },
      logging: { level: 'warn' },
      room: { empty_timeout: 300, departure_timeout: 20 },
    },
    null,
    2,
  );
}

export async function startEmbeddedLivekit(o: {
  binary: string;
  dataDir: string;
  port: number;
  rtcPort: number;
  apiKey: string;
  apiSecret: string;
  webhookUrl: string;
}): Promise<RunningLivekit> {
  const dir = path.join(o.dataDir, 'livekit');
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'livekit.yaml');
  const pidFile = path.join(dir, 'livekit.pid');
  const log = logger.child({ component: 'livekit' });
  // A LiveKit still running on this data folder's configuration was left by a crashed server.
  const leftover = await stopLeftover(pidFile, configFile, 'SIGTERM', 5_000);
  if (leftover) log.warn({ leftover }, 'stopped the LiveKit a previous run left on this data folder');
  if (await portOpen(o.port)) {
    throw new StartupError(
      COMPONENT,
      `port ${o.port} is already in use`,
      `Stop what uses it, set EMBEDDED_LIVEKIT_PORT, or: ${HINT}`,
    );
  }
  fs.writeFileSync(configFile, livekitConfigYaml(o), { mode: 0o600 });
  const child: ChildProcess = spawn(o.binary, ['--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let spawnError: Error | null = null;
  child.once('error', (err) => (spawnError = err));
  if (child.pid) fs.writeFileSync(pidFile, String(child.pid));
  let output = '';
  const collect = (b: Buffer) => {
    const s = b.toString();
    if (output.length < 20_000) output += s;
    log.debug(s.trim());
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  // Last resort if this process exits without a clean stop: never leave LiveKit running alone.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.on('exit', () => {
    exited = true;
    process.off('exit', killOnExit);
  });
  await waitForPort(o.port, 20_000, () =>
    spawnError
      ? `cannot run ${o.binary} (${(spawnError as Error).message})`
      : exited
        ? `it exited during start-up (${lastLines(output)})`
        : null,
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new StartupError(COMPONENT, err.message, HINT);
  });
  return {
    url: `http://127.0.0.1:${o.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, timeoutMs: number, failed: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = failed();
    if (problem) throw new Error(problem);
    if (await portOpen(port)) return;
    if (Date.now() > deadline) throw new Error(`it did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' / ').slice(0, 300) || 'no output';
}
