#!/usr/bin/env node
// Whiteboard fan-out: one meeting of 200 socket.io clients (a teacher and 199 students) in
// multi-user mode, 50 of them drawing at once for 20 s. Each drawer draws strokes of 2 s at
// 60 points/s: an `annotation.draft` with the new points about every 16 ms, then the finished
// shape as the logged `annotation.add`, and again. Measured, on a real server with its own
// PostgreSQL and LiveKit:
//   - a stroke point from its draft being sent to its arrival in the relayed batch, at each
//     client and at the last of the 200 (every client, the sender included, gets each batch);
//   - a finished shape from `annotation.add` sent to `annotations.added` at the last client;
//   - points that never arrived (the relay drops what exceeds the sender's rate);
//   - CPU of the server, of its PostgreSQL and LiveKit, of this process (its 200 clients share the
//     server's machine: when it is busy, its own delay is part of the latencies, so it is shown)
//     and of whatever else ran on the machine meanwhile.
// Prints figures; not a timed test. BENCH_CPU_PROF=<dir> writes the server's CPU profile there;
// BENCH_CLIENTS, BENCH_DRAWERS and BENCH_SECONDS change the load.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import {
  cpuSeconds,
  Histogram,
  inParallel,
  machineBusySeconds,
  sharedDecoding,
  startBenchServer,
  until,
} from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');

// The figures; the environment may change them to look for the knee.
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const DRAWERS = Number(process.env.BENCH_DRAWERS ?? 50);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 20) * 1000;
if (!(DRAWERS >= 1 && DRAWERS <= 99 && DRAWERS < CLIENTS))
  throw new Error('BENCH_DRAWERS: 1 to 99, fewer than the clients');
const STROKE_MS = 2000;
const POINTS_PER_SECOND = 60;
const POINTS = (STROKE_MS / 1000) * POINTS_PER_SECOND;
const TICK_MS = 16;
/** Strokes one drawer may start: the run's, and a spare (the last one ends after the run). */
const STROKES = Math.ceil(DURATION_MS / STROKE_MS) + 2;
const GOAL_POINT_MS = 50;
const GOAL_SHAPE_MS = 100;

// The clients receive each broadcast as the same text, 200 times. A browser decodes its copy on
// its own CPU; here 200 JSON.parse of every batch would take most of a core, and that queueing
// would show in the latencies as if it were the server's. So the clients share one decoding of
// each identical text (events without an ack, which are only read).
const parser = sharedDecoding({ minLength: 512, keep: 8 });

// Monotonic and in milliseconds.
const now = () => performance.now();

const profileDir = process.env.BENCH_CPU_PROF;
const { base, post, stop, pid } = await startBenchServer({
  name: 'bench-whiteboard',
  port: 3270,
  postgresPort: 54345,
  livekitPort: 7970,
  rtcPort: 7971,
  // 200 joins from one address: the default burst is exactly 200, so leave room.
  env: { JOIN_BURST: '1000' },
  nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
});
let stopped = false;
const stopOnce = () => (stopped ? Promise.resolve() : ((stopped = true), stop()));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => stopOnce().finally(() => process.exit(130)));
}
// Whatever hangs, the server does not outlive the benchmark.
const watchdog = setTimeout(() => {
  console.error('bench-whiteboard: no result after 3 minutes, giving up');
  stopOnce().finally(() => process.exit(1));
}, 180_000);

// What was sent and received, in flat arrays indexed by drawer, stroke and offset: a stroke's id
// (`s<drawer>_<stroke>`) says where to look, so the 200 copies of each batch cost no lookups.
const draftIndex = (drawer, stroke, offset) => (drawer * STROKES + stroke) * POINTS + offset;
const draftSentAt = new Float64Array(DRAWERS * STROKES * POINTS);
const draftPoints = new Uint8Array(DRAWERS * STROKES * POINTS);
const draftReceived = new Uint16Array(DRAWERS * STROKES * POINTS);
const draftFirstAt = new Float64Array(DRAWERS * STROKES * POINTS);
const draftLastAt = new Float64Array(DRAWERS * STROKES * POINTS);
const shapeSentAt = new Float64Array(DRAWERS * STROKES);
const shapeReceived = new Uint16Array(DRAWERS * STROKES);
const shapeLastAt = new Float64Array(DRAWERS * STROKES);
const strokeId = (drawer, stroke) => `s${String(drawer).padStart(2, '0')}_${String(stroke).padStart(5, '0')}`;
/** [drawer, stroke] of an id made by `strokeId`: digits read in place, for 600,000 a second. */
const parseId = (id) => {
  let stroke = 0;
  for (let k = 4; k < id.length; k++) stroke = stroke * 10 + id.charCodeAt(k) - 48;
  return [(id.charCodeAt(1) - 48) * 10 + id.charCodeAt(2) - 48, stroke];
};

const perDelivery = new Histogram();
const shapePerDelivery = new Histogram();
const shapeReplies = new Histogram();
let batches = 0;
let batchItems = 0;
let strayItems = 0;
let disconnects = 0;

/** Every client connected so far, closed at the end whatever happens. */
const clients = [];

class Client {
  constructor(session) {
    this.session = session;
    this.multiUser = false;
    clients.push(this);
  }

  connect() {
    this.socket = io(base, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      parser,
      auth: { token: this.session.sessionToken, protocol: PROTOCOL_VERSION },
    });
    this.socket.on(SOCKET.annotationDraft, onDrafts);
    this.socket.on('disconnect', () => disconnects++);
    this.socket.on(SOCKET.events, (batch) => {
      for (const e of batch) {
        const type = e.event.type;
        if (type === 'annotations.added') onShapes(e.event.annotations);
        else if (type === 'whiteboard.multi-user-changed') this.multiUser = e.event.enabled;
      }
    });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no snapshot within 20 s')), 20_000);
      this.socket.once(SOCKET.snapshot, (s) => (clearTimeout(t), (this.snapshot = s), resolve(this)));
      this.socket.once(SOCKET.fatal, (f) => (clearTimeout(t), reject(new Error(`${f.code}: ${f.message}`))));
      this.socket.once('connect_error', (err) => (clearTimeout(t), reject(err)));
    });
  }
}

function onDrafts(batch) {
  const at = now();
  batches++;
  batchItems += batch.length;
  for (const r of batch) {
    const id = r.shape.id;
    if (id.charCodeAt(0) !== 115 /* s */) {
      strayItems++;
      continue;
    }
    const [drawer, stroke] = parseId(id);
    const i = draftIndex(drawer, stroke, r.offset);
    perDelivery.add(at - draftSentAt[i], r.shape.points.length);
    if (!draftReceived[i]++) draftFirstAt[i] = at;
    if (at > draftLastAt[i]) draftLastAt[i] = at;
  }
}

function onShapes(annotations) {
  const at = now();
  for (const a of annotations) {
    const [drawer, stroke] = parseId(a.id);
    const i = drawer * STROKES + stroke;
    shapePerDelivery.add(at - shapeSentAt[i]);
    shapeReceived[i]++;
    if (at > shapeLastAt[i]) shapeLastAt[i] = at;
  }
}

/** One drawer: strokes of POINTS points at 60 points/s, drafts every tick, then the finished shape. */
function draw(client, drawer, where, endAt) {
  return new Promise((resolve) => {
    let stroke = -1;
    let startedAt = 0;
    let sent = 0;
    let points = [];
    const cx = 100 + (drawer % 10) * 50;
    const cy = 100 + Math.floor(drawer / 10) * 50;
    const begin = () => {
      stroke++;
      startedAt = now();
      sent = 0;
      // A loop around the drawer's own spot on the page, different for each stroke.
      points = Array.from({ length: POINTS }, (_, k) => {
        const a = (k / POINTS) * 2 * Math.PI;
        const r = 10 + stroke;
        return [Math.round((cx + r * Math.cos(a)) * 100) / 100, Math.round((cy + r * Math.sin(a)) * 100) / 100];
      });
    };
    const shape = (from) => ({
      id: strokeId(drawer, stroke),
      kind: 'pencil',
      points: points.slice(from, sent),
      colour: '#1e1e1e',
      size: 3,
      fill: false,
    });
    const tick = () => {
      const t = now();
      // The points the pointer has gone through by now (one at the start, 60 a second after).
      const due = Math.min(POINTS, 1 + Math.floor(((t - startedAt) * POINTS_PER_SECOND) / 1000));
      if (due > sent) {
        const offset = sent;
        sent = due;
        const i = draftIndex(drawer, stroke, offset);
        draftSentAt[i] = t;
        draftPoints[i] = due - offset;
        client.socket.emit(SOCKET.annotationDraft, { ...where, offset, shape: shape(offset) });
      }
      if (sent < POINTS) return;
      const addedAt = (shapeSentAt[drawer * STROKES + stroke] = now());
      client.socket.emit(SOCKET.command, { type: 'annotation.add', ...where, shapes: [shape(0)] }, (reply) => {
        shapeReplies.add(now() - addedAt);
        if (reply.ok) results.shapesAccepted++;
        else results.shapesRefused.push(reply.code);
      });
      results.shapesSent++;
      if (now() >= endAt || stroke + 1 >= STROKES) {
        clearInterval(timer);
        resolve();
      } else begin();
    };
    begin();
    const timer = setInterval(tick, TICK_MS);
  });
}

const results = { shapesSent: 0, shapesAccepted: 0, shapesRefused: [] };
try {
  const room = await post('/api/rooms', { name: 'Bench whiteboard' });
  const joinStart = now();
  const teacher = await new Client(
    await post(`/api/join/${room.moderatorCode}`, { name: 'Teacher', audioMode: 'listen-only' }),
  ).connect();
  const students = await inParallel(Array.from({ length: CLIENTS - 1 }), 8, async (_, n) =>
    new Client(
      await post(`/api/join/${room.viewerCode}`, { name: `Student ${n + 1}`, audioMode: 'listen-only' }),
    ).connect(),
  );
  const joinMs = now() - joinStart;

  const state = teacher.snapshot.state;
  const presentationId = state.slides.current;
  const page = state.slides.presentations.find((p) => p.id === presentationId).page;
  const reply = await teacher.socket
    .timeout(10_000)
    .emitWithAck(SOCKET.command, { type: 'whiteboard.set-multi-user', enabled: true });
  if (!reply.ok) throw new Error(`whiteboard.set-multi-user: ${reply.code} ${reply.message}`);
  await until(() => clients.every((c) => c.multiUser), 'multi-user mode at every client');

  // The drawers: students spread over the joining order.
  const drawers = Array.from({ length: DRAWERS }, (_, d) => students[Math.floor((d * students.length) / DRAWERS)]);
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  await new Promise((r) => setTimeout(r, 500));
  const cpuBefore = cpuSeconds(pid);
  const machineBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const runStart = now();
  const hrStart = process.hrtime.bigint();
  loopDelay.enable();
  const endAt = runStart + DURATION_MS;
  // Drawers start a little apart, as people do, over one stroke's time.
  await Promise.all(
    drawers.map((c, d) =>
      new Promise((r) => setTimeout(r, (d * STROKE_MS) / DRAWERS)).then(() =>
        draw(c, d, { presentationId, page }, endAt),
      ),
    ),
  );
  const drawnMs = now() - runStart;
  // The profile's clock is the same monotonic one, in µs: the drawing's part of it can be picked out.
  if (profileDir) {
    const window = { startUs: Number(hrStart / 1000n), endUs: Number(process.hrtime.bigint() / 1000n) };
    writeFileSync(`${profileDir}/drawing-window.json`, JSON.stringify(window));
  }
  const cpuAfter = cpuSeconds(pid);
  const machineBusy = machineBusySeconds() - machineBefore;
  const ownAfter = process.cpuUsage(ownBefore);
  loopDelay.disable();
  // The last replies, batches and events, if late.
  await until(
    () => results.shapesAccepted + results.shapesRefused.length === results.shapesSent,
    'the replies to annotation.add',
    10_000,
  ).catch(() => undefined);
  await until(
    () => shapeReceived.reduce((n, r) => n + (r === CLIENTS ? 1 : 0), 0) >= results.shapesAccepted,
    'the last shapes at every client',
    10_000,
  ).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 200));

  // Figures.
  const allReceived = new Histogram();
  const firstReceived = new Histogram();
  const spread = new Histogram();
  let draftsSent = 0;
  let pointsSent = 0;
  let pointsMissing = 0;
  let draftsIncomplete = 0;
  for (let i = 0; i < draftSentAt.length; i++) {
    if (!draftPoints[i]) continue;
    draftsSent++;
    pointsSent += draftPoints[i];
    const missing = Math.max(0, CLIENTS - draftReceived[i]);
    pointsMissing += missing * draftPoints[i];
    if (missing) draftsIncomplete++;
    else {
      allReceived.add(draftLastAt[i] - draftSentAt[i], draftPoints[i]);
      firstReceived.add(draftFirstAt[i] - draftSentAt[i], draftPoints[i]);
      spread.add(draftLastAt[i] - draftFirstAt[i], draftPoints[i]);
    }
  }
  const shapeAll = new Histogram();
  let shapesIncomplete = 0;
  for (let i = 0; i < shapeSentAt.length; i++) {
    if (!shapeSentAt[i]) continue;
    if (shapeReceived[i] >= CLIENTS) shapeAll.add(shapeLastAt[i] - shapeSentAt[i]);
    else shapesIncomplete++;
  }
  const cores = availableParallelism();
  const seconds = drawnMs / 1000;
  const pct = (cpu) => `${Math.round((cpu / seconds) * 100)} %`;
  const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
  const row = (label, h, goalMs) => {
    const p99 = h.quantile(0.99);
    const goal = goalMs ? `p99 ≤ ${goalMs} ms: ${p99 <= goalMs ? 'met' : 'NOT met'}` : '';
    console.log(
      `${label.padEnd(46)} ${ms(h.quantile(0.5)).padStart(9)} ${ms(p99).padStart(9)} ${ms(h.max).padStart(10)}   ${goal}`,
    );
  };
  const ownCpu = (ownAfter.user + ownAfter.system) / 1e6;

  console.log(
    `\nWhiteboard fan-out: ${CLIENTS} clients in one meeting (1 teacher, ${CLIENTS - 1} students; joined in ${(joinMs / 1000).toFixed(1)} s), multi-user mode,`,
  );
  console.log(
    `${DRAWERS} drawing at once for ${seconds.toFixed(1)} s: strokes of ${STROKE_MS / 1000} s at ${POINTS_PER_SECOND} points/s, a draft every ~${TICK_MS} ms, then annotation.add`,
  );
  console.log(`${''.padEnd(46)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(10)}   goal`);
  row(`stroke point: sent → at the last of ${CLIENTS}`, allReceived, GOAL_POINT_MS);
  row('stroke point: sent → at each client', perDelivery);
  row('stroke point: sent → at the first client', firstReceived);
  row('stroke point: first → last client', spread);
  row(`finished shape: add sent → at the last of ${CLIENTS}`, shapeAll, GOAL_SHAPE_MS);
  row('finished shape: add sent → at each client', shapePerDelivery);
  row('finished shape: add sent → its reply', shapeReplies);
  console.log(
    `points: ${pointsSent} sent in ${draftsSent} drafts; ${pointsSent * CLIENTS - pointsMissing} of ${pointsSent * CLIENTS} deliveries arrived, ` +
      `${pointsMissing} missing (${draftsIncomplete} drafts not at every client); goal: none missing, ${pointsMissing ? 'NOT met' : 'met'}`,
  );
  console.log(
    `relay: ${Math.round(batches / CLIENTS / seconds)} batches/s per client, ${(batchItems / Math.max(1, batches)).toFixed(1)} drafts per batch` +
      (strayItems ? `, ${strayItems} unexpected items` : ''),
  );
  if (disconnects) console.log(`${disconnects} clients were disconnected during the run`);
  console.log(
    `shapes: ${results.shapesSent} sent, ${results.shapesAccepted} accepted` +
      (results.shapesRefused.length
        ? `, refused: ${[...new Set(results.shapesRefused)].join(', ')} (${results.shapesRefused.length})`
        : '') +
      `; ${shapesIncomplete} not at every client`,
  );
  const serverCpu = cpuAfter.own - cpuBefore.own;
  const childrenCpu = cpuAfter.descendants - cpuBefore.descendants;
  const others = Math.max(0, machineBusy - serverCpu - childrenCpu - ownCpu);
  console.log(
    `CPU while drawing, % of one core (${cores} cores): server ${pct(serverCpu)} ` +
      `(in the kernel ${pct(cpuAfter.ownSystem - cpuBefore.ownSystem)}: socket writes, loopback TCP included), ` +
      `its PostgreSQL and LiveKit ${pct(childrenCpu)},`,
  );
  console.log(
    `  this benchmark's ${CLIENTS} clients ${pct(ownCpu)}, other processes ${pct(others)}` +
      (others / seconds > 0.2 ? ' (not a quiet machine: the figures above are pessimistic)' : ''),
  );
  const lag = loopDelay.percentile(99) / 1e6;
  console.log(
    `benchmark's event loop delay: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${lag.toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms` +
      (ownCpu / seconds > 0.85
        ? ' — the clients saturate their core: their own queueing is part of the latencies above'
        : ''),
  );
} finally {
  clearTimeout(watchdog);
  for (const c of clients) c.socket?.disconnect();
  await stopOnce();
}
