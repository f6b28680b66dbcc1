#!/usr/bin/env node
// The control plane under a crowd: N listen-only socket.io clients join one meeting on a real
// server (its own PostgreSQL and LiveKit), then the presenter turns pages and writes in the chat,
// then every client reloads at once. For N = 100, 300, 1,000 and 3,000 (BENCH_SIZES to change):
//   - join storm: from the first join request to every client holding its snapshot, with the
//     join requests' (HTTP) p50/p95;
//   - fan-out: from the presenter sending a page turn or a chat message to each client receiving
//     its event, p50/p99 (clients and presenter share this process's clock);
//   - reconnect storm: every client's socket drops and comes back at once, resuming from the
//     last event it holds (as the web app does after a blip or a server restart), until the
//     server has answered all; then a reload storm: new sockets at once, each a fresh snapshot;
//   - the server's CPU seconds and its memory peak (resident set, sampled every 20 ms).
// Prints figures; not a timed test.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { io } from 'socket.io-client';
import { cpuSeconds, Histogram, inParallel, sharedDecoding, startBenchServer } from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');

const SIZES = (process.env.BENCH_SIZES ?? '100,300,1000,3000').split(',').map(Number);
const TURNS = 20;
const MESSAGES = 5;
const now = () => performance.now();
const fmt = (x) => `${x.toFixed(0)} ms`;

const biggest = Math.max(...SIZES);
const { base, post, stop, pid } = await startBenchServer({
  name: 'bench-classroom',
  port: 3290,
  postgresPort: 54357,
  livekitPort: 7990,
  rtcPort: 7991,
  // Every join comes from this one address, within the minute.
  env: { JOIN_BURST: String(4 * biggest + 100) },
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops.
  nodeArgs: process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [],
});
let stopped = false;
const stopOnce = () => (stopped ? Promise.resolve() : ((stopped = true), stop()));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stopOnce().finally(() => process.exit(130)));
const watchdog = setTimeout(() => {
  console.error('bench-classroom: no result after 10 minutes, giving up');
  stopOnce().finally(() => process.exit(1));
}, 600_000);

// A browser decodes its own copy of a broadcast; here the same text is decoded once for all.
const parser = sharedDecoding({ minLength: 200, keep: 64 });
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const origin = new URL(base);

/** POST /api/join/:code with Node's http (fetch's pool queues a storm behind a few sockets). */
function join(code, name) {
  const body = JSON.stringify({ name, audioMode: 'listen-only' });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: origin.hostname,
        port: origin.port,
        path: `/api/join/${code}`,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`join ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A socket for this session, keeping the last seq it holds; resolves once its snapshot arrived,
 * or with `lastSeq` (a reconnection, as the web app makes one) once the server has answered.
 */
function connect(session, onEvents, lastSeq) {
  const client = { session, lastSeq: lastSeq ?? 0, socket: null };
  const socket = io(base, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    parser,
    auth: { token: session.sessionToken, protocol: PROTOCOL_VERSION, ...(lastSeq === undefined ? {} : { lastSeq }) },
  });
  client.socket = socket;
  socket.on(SOCKET.events, (events) => {
    client.lastSeq = Math.max(client.lastSeq, events.at(-1).seq);
    onEvents(events);
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no snapshot within 60 s')), 60_000);
    const done = () => (clearTimeout(t), resolve(client));
    socket.once(SOCKET.snapshot, (s) => ((client.lastSeq = Math.max(client.lastSeq, s.seq)), done()));
    socket.once(SOCKET.fatal, (f) => (clearTimeout(t), reject(new Error(`${f.code}: ${f.message}`))));
    // Resuming: the server sends what was missed (often nothing) once the socket is in the meeting;
    // a round trip on the socket says it is.
    if (lastSeq !== undefined)
      socket.once('connect', () => socket.timeout(60_000).emitWithAck('clock').then(done, reject));
  });
}

/** The server's resident memory, sampled while `work` runs: its peak in MB. */
async function peakMemory(work) {
  let peak = 0;
  const sample = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
  };
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

async function measure(n) {
  const room = await post('/api/rooms', { name: `Amphi ${n}` });
  const teacherSession = await join(room.moderatorCode, 'Professeur');
  const teacher = await connect(teacherSession, () => {});

  // Each client notes when it received what the presenter sent, by the probe's text or page.
  const received = { turn: new Histogram(), chat: new Histogram() };
  const sentAt = new Map();
  const onEvents = (events) => {
    const at = now();
    for (const e of events) {
      const ev = e.event;
      const key = ev.type === 'slide.changed' ? `turn/${ev.page}` : ev.type === 'chat.sent' ? `chat/${ev.text}` : null;
      const t = key && sentAt.get(key);
      if (t !== undefined && t !== null) received[key.split('/')[0]].add(at - t);
    }
  };

  // Join storm: every client at once.
  const cpu0 = cpuSeconds(pid).own;
  const joinTimes = [];
  const t0 = now();
  const { result: sessions, peak: joinPeak } = await peakMemory(() =>
    inParallel(
      Array.from({ length: n }, (_, i) => i),
      n,
      async (i) => {
        const s = now();
        const session = await join(room.viewerCode, `Élève ${i}`);
        joinTimes.push(now() - s);
        return connect(session, onEvents);
      },
    ),
  );
  const joinStorm = now() - t0;
  const joinCpu = cpuSeconds(pid).own - cpu0;
  joinTimes.sort((a, b) => a - b);
  const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  // Let the last presence events drain before measuring fan-out.
  await new Promise((r) => setTimeout(r, 500));

  // Fan-out: page turns, then chat messages.
  const state = await new Promise((resolve) => {
    const s = io(base, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: teacherSession.sessionToken, protocol: PROTOCOL_VERSION },
    });
    s.once(SOCKET.snapshot, (snap) => (s.disconnect(), resolve(snap.state)));
  });
  const deck = state.slides.current;
  const pages = state.slides.presentations.find((p) => p.id === deck).pages;
  const send = (command) => teacher.socket.timeout(20_000).emitWithAck(SOCKET.command, command);
  for (let i = 0; i < TURNS; i++) {
    const page = 1 + ((i + 1) % pages) || 1;
    sentAt.set(`turn/${page}`, now());
    await send({ type: 'slide.goto', presentationId: deck, page });
    await new Promise((r) => setTimeout(r, 100));
    sentAt.delete(`turn/${page}`);
  }
  for (let i = 0; i < MESSAGES; i++) {
    const text = `Question ${n}-${i}`;
    sentAt.set(`chat/${text}`, now());
    await send({ type: 'chat.send', to: null, text });
    await new Promise((r) => setTimeout(r, 150));
  }
  await new Promise((r) => setTimeout(r, 300));

  // Reconnect storm: every client's connection drops and comes back at once (a network blip, a
  // server restart), resuming from the last event it holds, as the web app does.
  const storm = async (clients, lastSeqOf) => {
    for (const c of clients) c.socket.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    const cpu = cpuSeconds(pid).own;
    const t = now();
    const { result, peak } = await peakMemory(() =>
      Promise.all(clients.map((c) => connect(c.session, () => {}, lastSeqOf(c)))),
    );
    return { clients: result, ms: now() - t, cpu: cpuSeconds(pid).own - cpu, peak };
  };
  const reconnect = await storm(sessions, (c) => c.lastSeq);
  // Reload storm: every page reloads at once: new connections, each a fresh snapshot.
  const reload = await storm(reconnect.clients, () => undefined);
  for (const c of reload.clients) c.socket.disconnect();
  teacher.socket.disconnect();
  return {
    n,
    joinStorm,
    joinP50: q(joinTimes, 0.5),
    joinP95: q(joinTimes, 0.95),
    joinCpu,
    joinPeak,
    turn: received.turn,
    chat: received.chat,
    reconnect,
    reload,
  };
}

try {
  console.log('control plane: N listen-only socket clients in one meeting (real server, loopback)');
  for (const n of SIZES) {
    const r = await measure(n);
    const pct = (h, p) => fmt(h.quantile(p));
    console.log(
      `  N=${String(n).padStart(4)}: join storm ${fmt(r.joinStorm)} (HTTP p50 ${fmt(r.joinP50)}, p95 ${fmt(r.joinP95)}; ` +
        `server CPU ${r.joinCpu.toFixed(1)} s, memory peak ${r.joinPeak.toFixed(0)} MB)`,
    );
    console.log(
      `          fan-out page turn p50 ${pct(r.turn, 0.5)} p99 ${pct(r.turn, 0.99)} (${r.turn.n} deliveries); ` +
        `chat p50 ${pct(r.chat, 0.5)} p99 ${pct(r.chat, 0.99)} (${r.chat.n})`,
    );
    for (const [what, x] of [
      ['reconnect storm (resume)', r.reconnect],
      ['reload storm (snapshots)', r.reload],
    ])
      console.log(
        `          ${what} ${fmt(x.ms)} (server CPU ${x.cpu.toFixed(1)} s, memory peak ${x.peak.toFixed(0)} MB)`,
      );
  }
  console.log(
    '  goals: join storm of 1,000 <= 2 s; reconnect storm 1,000 <= 0.5 s, 3,000 <= 2 s; fan-out p99 <= 50 ms at 3,000; memory peak <= 1 GB',
  );
} finally {
  clearTimeout(watchdog);
  await stopOnce();
  agent.destroy();
}
process.exit(0);
