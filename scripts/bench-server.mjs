// The real server for a benchmark: its own data folder (embedded PostgreSQL and LiveKit on the
// given ports), started and awaited; `stop()` ends it and removes the folder. `env` adds to or
// overrides the environment (a limit raised for the benchmark), `nodeArgs` go to node itself
// (`--cpu-prof`); `pid` is the server's process, to read its CPU time.
import { fork, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
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
  /** POSTs JSON to the server and returns its JSON reply; anything but 2xx throws. */
  const post = async (path, body) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return { base, post, root, stop, pid: server.pid };
}

/**
 * Milliseconds on the machine's monotonic clock (`CLOCK_MONOTONIC`, what `process.hrtime` reads):
 * the same in every process, so a time taken in one compares with a time taken in another.
 */
export const clock = () => Number(process.hrtime.bigint()) / 1e6;

/** Up to `width` at a time, in order. */
export async function inParallel(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** CPU seconds (user + system) of a process, and of all its descendants. */
export function cpuSeconds(rootPid) {
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields count from after it.
      const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), user: Number(f[11]), system: Number(f[12]) });
    } catch {
      // The process ended meanwhile.
    }
  }
  const root = stats.get(rootPid) ?? { user: 0, system: 0 };
  let descendants = 0;
  const below = (p) => {
    for (const [child, s] of stats) {
      if (s.ppid === p) {
        descendants += (s.user + s.system) / 100;
        below(child);
      }
    }
  };
  below(rootPid);
  return { own: (root.user + root.system) / 100, ownSystem: root.system / 100, descendants };
}

/** CPU seconds of the whole machine, busy (all cores), from /proc/stat. */
export function machineBusySeconds() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
}

/**
 * A socket.io parser for many clients in one process that receive the same broadcasts: each
 * identical text (of at least `minLength`, among the last `keep`) is decoded once and shared.
 * Only for events without an ack, which are only read: a browser decodes its copy on its own CPU,
 * so without this the bench's decoding would show in the latencies as if it were the server's.
 */
export function sharedDecoding({ minLength, keep }) {
  const require = createRequire(import.meta.url);
  const socketIoParser = createRequire(require.resolve('socket.io-client'))('socket.io-parser');
  // The last few texts decoded, compared by length then content: cheaper than hashing them.
  const recentlyDecoded = [];
  class SharedDecoder extends socketIoParser.Decoder {
    add(text) {
      if (typeof text !== 'string' || text.length < minLength) return super.add(text);
      let packet = recentlyDecoded.find((d) => d.text.length === text.length && d.text === text)?.packet;
      if (!packet) {
        packet = this.decodeString(text);
        if (packet.type !== socketIoParser.PacketType.EVENT || packet.id !== undefined) {
          return this.emitReserved('decoded', packet);
        }
        recentlyDecoded.unshift({ text, packet });
        if (recentlyDecoded.length > keep) recentlyDecoded.pop();
      }
      this.emitReserved('decoded', { ...packet, data: packet.data.slice() });
    }
  }
  return { Encoder: socketIoParser.Encoder, Decoder: SharedDecoder };
}

/** Latencies at 0.1 ms resolution up to 10 s (beyond: the last bin), with a weight each. */
export class Histogram {
  bins = new Float64Array(100_001);
  max = 0;
  n = 0;
  add(ms, weight = 1) {
    this.bins[Math.min(this.bins.length - 1, Math.max(0, Math.round(ms * 10)))] += weight;
    this.n += weight;
    if (ms > this.max) this.max = ms;
  }
  get count() {
    return this.n;
  }
  quantile(q) {
    const target = q * this.n;
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i];
      if (seen >= target && this.bins[i]) return i / 10;
    }
    return NaN;
  }
}

/** Waits until `pred()` holds, checking every 10 ms; past the timeout, throws naming `what`. */
export async function until(pred, what, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * `count` client processes running `module` (each serves its commands with `serveCommands`);
 * resolves once each is ready and has run `start` with `startArgs`. `call(command, args)` runs a
 * command in one and resolves with its reply.
 */
export async function clientProcesses(module, count, startArgs, forkArgs = []) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = fork(module, forkArgs, { stdio: 'inherit' });
      const pending = new Map();
      let next = 0;
      child.on('message', (m) => {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve(m);
        else p.reject(new Error(m.error));
      });
      child.on('exit', (code) => {
        for (const p of pending.values()) p.reject(new Error(`a client process ended (${code})`));
      });
      await new Promise((r) => child.once('message', r));
      const call = (command, args = {}) =>
        new Promise((resolve, reject) => {
          const id = next++;
          pending.set(id, { resolve, reject });
          child.send({ id, command, args });
        });
      await call('start', startArgs);
      return { child, call };
    }),
  );
}

/** The other side of `clientProcesses`: runs each command sent to this process from `work`. */
export function serveCommands(work) {
  process.on('message', async ({ id, command, args }) => {
    try {
      process.send({ id, ok: true, ...(await work[command](args)) });
    } catch (err) {
      process.send({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}
