#!/usr/bin/env node
// The control plane under a crowd: N listen-only socket.io clients join one meeting on a real
// server (its own PostgreSQL and LiveKit), then the presenter turns pages and writes in the chat,
// then every client reloads at once. For N = 100, 300, 1,000 and 3,000 (BENCH_SIZES to change):
//   - join storm: from the first join request to every client holding its snapshot, with the
//     join requests' (HTTP) p50/p95;
//   - fan-out: from the presenter sending a page turn or a chat message to each client receiving
//     its event, p50/p99;
//   - reconnect storm: every client's socket drops and comes back at once, resuming from the
//     last event it holds (as the web app does after a blip or a server restart), until the
//     server has answered all; then a reload storm: new sockets at once, each a fresh snapshot;
//   - the server's CPU seconds and its memory peak (resident set, sampled every 20 ms).
// The students are spread over BENCH_WORKERS client processes (2 unless told), which report
// their timings here on a clock all processes share; the presenter stays in this one.
// Beside each size, the floor: the same storms and fan-out with bare WebSockets and nothing else
// (bench-classroom-floor.mjs), in the same run on the same machine.
// Prints figures; not a timed test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { io } from 'socket.io-client';
import { floor } from './bench-classroom-floor.mjs';
import { clientProcesses, clock, cpuSeconds, Histogram, startBenchServer } from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');

const SIZES = (process.env.BENCH_SIZES ?? '100,300,1000,3000').split(',').map(Number);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const TURNS = 20;
const MESSAGES = 5;
const now = clock;
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

/** The client processes: `ask(command, args)` runs a command in each, with its share of the students. */
// Node's http pool for the joins, shared out: 256 sockets in all.
const workers = await clientProcesses(new URL('./bench-classroom-clients.mjs', import.meta.url), WORKERS, {
  base,
  maxSockets: Math.ceil(256 / WORKERS),
});
const ask = (command, args) => Promise.all(workers.map((w, k) => w.call(command, args?.(k) ?? {})));

/** The presenter's socket; resolves once its snapshot arrived. */
function connect(session) {
  const socket = io(base, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token: session.sessionToken, protocol: PROTOCOL_VERSION },
  });
  return new Promise((resolve, reject) => {
    const teacher = { socket, snapshot: null, lastSeq: 0 };
    socket.on(SOCKET.events, (events) => (teacher.lastSeq = Math.max(teacher.lastSeq, events.at(-1).seq)));
    socket.once(SOCKET.snapshot, (s) => {
      teacher.snapshot = s;
      teacher.lastSeq = Math.max(teacher.lastSeq, s.seq);
      resolve(teacher);
    });
    socket.once(SOCKET.fatal, (f) => reject(new Error(`${f.code}: ${f.message}`)));
  });
}

/**
 * Waits until the presenter has heard nothing new for a second and every student holds what it
 * last heard; resolves with the time it took.
 */
async function settle(teacher) {
  const t = now();
  for (;;) {
    const seq = teacher.lastSeq;
    await new Promise((r) => setTimeout(r, 1000));
    const lowest = Math.min(...(await ask('lowestSeq')).map((r) => r.seq));
    if (teacher.lastSeq === seq && lowest >= seq) return now() - t - 1000;
    if (now() - t > 60_000) throw new Error(`the class did not settle within 60 s (seq ${seq}, lowest ${lowest})`);
  }
}

/** Resolves once the server has used under 10 ms of CPU in 100 ms (at least 200 ms from now). */
async function quiet() {
  let before = cpuSeconds(pid).own;
  await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const cpu = cpuSeconds(pid).own;
    if (cpu - before < 0.01) return;
    before = cpu;
  }
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
  const teacherSession = await post(`/api/join/${room.moderatorCode}`, {
    name: 'Professeur',
    audioMode: 'listen-only',
  });
  const teacher = await connect(teacherSession);
  // Each worker's share of the students: the first `n % WORKERS` take one more.
  const share = (k) => Math.floor(n / WORKERS) + (k < n % WORKERS ? 1 : 0);
  const firstOf = (k) => Array.from({ length: k }, (_, j) => share(j)).reduce((a, b) => a + b, 0);

  // Join storm: every client at once.
  const cpu0 = cpuSeconds(pid).own;
  const t0 = now();
  const { result: joined, peak: joinPeak } = await peakMemory(() =>
    ask('join', (k) => ({ code: room.viewerCode, first: firstOf(k), count: share(k) })),
  );
  const joinStorm = now() - t0;
  const joinCpu = cpuSeconds(pid).own - cpu0;
  const joinTimes = joined.flatMap((r) => r.joinTimes).sort((a, b) => a - b);
  const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  // Fan-out is measured in a settled class: every student holds the last arrival (comings and
  // goings still going out at the end of a storm would be measured instead).
  const settled = await settle(teacher);
  await ask('receipts');

  // Fan-out: page turns, then chat messages. A receipt belongs to the last probe of its key sent
  // before it (a page comes back every few turns); each client's receipt counts once.
  const probes = [];
  {
    const { state } = teacher.snapshot;
    const deck = state.slides.current;
    const pages = state.slides.presentations.find((p) => p.id === deck).pages;
    const send = (command) => teacher.socket.timeout(20_000).emitWithAck(SOCKET.command, command);
    for (let i = 0; i < TURNS; i++) {
      const page = 1 + ((i + 1) % pages) || 1;
      probes.push({ key: `turn/${page}`, kind: 'turn', from: now() });
      await send({ type: 'slide.goto', presentationId: deck, page });
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < MESSAGES; i++) {
      const text = `Question ${n}-${i}`;
      probes.push({ key: `chat/${text}`, kind: 'chat', from: now() });
      await send({ type: 'chat.send', to: null, text });
      await new Promise((r) => setTimeout(r, 150));
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const received = { turn: new Histogram(), chat: new Histogram() };
  for (const { receipts } of await ask('receipts')) {
    for (const [key, at] of receipts) {
      const probe = probes.findLast((p) => p.key === key && p.from <= at);
      if (probe) received[probe.kind].add(at - probe.from);
    }
  }

  // Reconnect storm: every client's connection drops and comes back at once (a network blip, a
  // server restart), resuming from the last event it holds, as the web app does.
  const storm = async (resume) => {
    await ask('drop');
    // The storm starts once the server has dealt with the drops (a large class's closing
    // connections take it a while): what is measured is the coming back.
    await quiet();
    const cpu = cpuSeconds(pid).own;
    const t = now();
    const { peak } = await peakMemory(() => ask('reconnect', () => ({ resume })));
    return { ms: now() - t, cpu: cpuSeconds(pid).own - cpu, peak };
  };
  const reconnect = await storm(true);
  // Reload storm: every page reloads at once: new connections, each a fresh snapshot.
  const reload = await storm(false);
  // The class ends, as a teacher ends it: otherwise its students' reconnect grace would run out
  // during the next size's measurements, each logging a departure.
  const ended = await teacher.socket.timeout(20_000).emitWithAck(SOCKET.command, { type: 'meeting.end' });
  if (!ended.ok) throw new Error(`the meeting did not end: ${ended.code}`);
  await ask('close');
  teacher.socket.disconnect();
  await quiet();
  return {
    n,
    joinStorm,
    joinP50: q(joinTimes, 0.5),
    joinP95: q(joinTimes, 0.95),
    joinCpu,
    joinPeak,
    settled,
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
    const bare = await floor(n, WORKERS, TURNS);
    const pct = (h, p) => fmt(h.quantile(p));
    console.log(
      `  N=${String(n).padStart(4)}: join storm ${fmt(r.joinStorm)} (HTTP p50 ${fmt(r.joinP50)}, p95 ${fmt(r.joinP95)}; ` +
        `server CPU ${r.joinCpu.toFixed(1)} s, memory peak ${r.joinPeak.toFixed(0)} MB)`,
    );
    console.log(`          every arrival heard by every student ${fmt(r.settled)} after the storm`);
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
    console.log(
      `          floor, bare WebSockets (ws alone, same clients): connect storm ${fmt(bare.connect)}; ` +
        `fan-out p50 ${fmt(bare.fanoutP50)} p99 ${fmt(bare.fanoutP99)} (${bare.deliveries}); reconnect storm ${fmt(bare.reconnect)}`,
    );
  }
  console.log(
    '  goals: join storm of 1,000 <= 2 s; reconnect storm 1,000 <= 0.5 s, 3,000 <= 2 s; fan-out p99 <= 50 ms at 3,000; memory peak <= 1 GB',
  );
} finally {
  clearTimeout(watchdog);
  for (const w of workers) w.child.disconnect();
  await stopOnce();
}
process.exit(0);
