#!/usr/bin/env node
// Shared notes under a whole class typing at once: N editors (50, 200, then 400), each a Yjs
// client over its own socket.io connection, in one meeting of a fresh server per N. Every editor
// types one character every 500 ms (2 a second; their start times spread over those 500 ms) at a
// random place of one shared paragraph (the Y.XmlText in the document's first paragraph, in the
// `NOTES_FRAGMENT` fragment the editor binds to), for 20 s. Each keystroke is a real Yjs update
// sent as `notes.update`; the server checks, applies and stores it, then relays it in a batch to
// the whole meeting. Measured, on a real server with its own PostgreSQL and LiveKit:
//   - a keystroke from its update being sent to its arrival at each other editor (the relayed
//     batch, decoded), and at the last of the N − 1 others; deliveries that never arrived;
//   - the same to its application (Y.applyUpdate) at a sample of editors that apply every batch as
//     it comes (see below), and the sender's acknowledgement (the server has applied it);
//   - CPU of the server, of its PostgreSQL and LiveKit, of this process and of the rest of the
//     machine while typing, and the server's memory (RSS) before and after;
//   - convergence: every editor's document, once all it received is applied, against the
//     server's (a fresh client's `notes.sync`), as the fragment's text.
// This process plays all N browsers on the server's own 2 cores. A browser decodes and applies
// each batch on its own CPU; here 400 copies of that work would take several cores and show in the
// latencies as if it were the server's. So the editors share one decoding of each identical batch
// (as bench-whiteboard does), and only BENCH_APPLYING of them (16, spread over the editors) apply
// the batches to their Y.Doc as they arrive; the others keep what they received and apply it all
// at the end (their own keystrokes go into their own view of the paragraph, which a CRDT merges
// all the same). The convergence check reads the sample's documents and 4 others caught up at the
// end, and that every editor received the same batches.
// Prints figures; not a timed test. BENCH_SIZES (e.g. "50,200,400"), BENCH_SECONDS and
// BENCH_APPLYING change the load; BENCH_CPU_PROF=<dir> writes each server's CPU profile there.
import { readFileSync, writeFileSync } from 'node:fs';
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
const { PROTOCOL_VERSION, SOCKET, NOTES_FRAGMENT, fromBase64, toBase64 } = require('@estrade/protocol');
const Y = require('yjs');

const SIZES = (process.env.BENCH_SIZES ?? '50,200,400').split(',').map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 20) * 1000;
const APPLYING = Number(process.env.BENCH_APPLYING ?? 16);
if (!SIZES.every((n) => n >= 2 && n <= 2000)) throw new Error('BENCH_SIZES: editors per run, 2 to 2000 each');
const KEY_MS = 500;
/** Keystrokes one editor may send: the run's, and a spare. */
const KEYS = Math.ceil(DURATION_MS / KEY_MS) + 2;
const GOAL_P95_MS = 100;
/** Editors not in the live sample whose documents catch up at the end, for the convergence check. */
const CATCH_UP = 4;
const GOAL_AT = 400;
const now = () => performance.now();
const profileDir = process.env.BENCH_CPU_PROF;

// Every editor receives each batch as the same text: one decoding, shared (events without an ack,
// which are only read), and one reading of what it holds (`batchInfo`).
const parser = sharedDecoding({ minLength: 64, keep: 16 });

const vmRssMB = (pid) => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
};

/** One run: a fresh server, N editors in one meeting, typing for DURATION_MS. */
async function run(N) {
  const { base, post, stop, pid } = await startBenchServer({
    name: 'bench-notes',
    port: 3290,
    postgresPort: 54365,
    livekitPort: 7990,
    rtcPort: 7991,
    // N joins from one address, within the minute.
    env: { JOIN_BURST: String(N + 100) },
    nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  let stopped = false;
  const stopOnce = () => (stopped ? Promise.resolve() : ((stopped = true), stop()));
  const onSignal = () => stopOnce().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Whatever hangs, the server does not outlive the benchmark.
  const watchdog = setTimeout(() => {
    console.error(`bench-notes: no result for ${N} editors after 5 minutes, giving up`);
    stopOnce().finally(() => process.exit(1));
  }, 300_000);

  // What was sent and received, in flat arrays indexed by editor and keystroke.
  const sentAt = new Float64Array(N * KEYS);
  const received = new Uint16Array(N * KEYS);
  const firstAt = new Float64Array(N * KEYS);
  const lastAt = new Float64Array(N * KEYS);
  /** Each editor's Yjs client id → its index; its clock when typing started. */
  const editorOf = new Map();
  const startClock = new Int32Array(N);
  const perDelivery = new Histogram();
  const perApplied = new Histogram();
  const acks = new Histogram();
  const refused = [];
  let keysSent = 0;
  let keysAcked = 0;
  let disconnects = 0;
  let strayItems = 0;
  let batches = 0;
  let batchItems = 0;
  /** Every distinct relayed batch, read once: its updates, and which keystrokes it holds. */
  const batchInfos = new WeakMap();
  const allBatches = [];
  const batchInfo = (batch) => {
    let info = batchInfos.get(batch);
    if (info) return info;
    const updates = [];
    const keys = [];
    for (const r of batch) {
      const update = fromBase64(r.update);
      updates.push(update);
      const first = Y.decodeUpdate(update).structs[0];
      const editor = first && editorOf.get(first.id.client);
      const k = editor === undefined ? -1 : first.id.clock - startClock[editor];
      if (k >= 0 && k < KEYS) keys.push(editor, editor * KEYS + k);
      else strayItems++;
    }
    info = { updates, keys, merged: null };
    batchInfos.set(batch, info);
    allBatches.push(info);
    batches++;
    batchItems += batch.length;
    return info;
  };
  const mergedOf = (info) => (info.merged ??= Y.mergeUpdates(info.updates));

  const clients = [];
  class Editor {
    constructor(index, session) {
      this.index = index;
      this.session = session;
      this.doc = new Y.Doc();
      /** Whether this editor applies each batch as it arrives (the sample), or at the end. */
      this.applying = false;
      this.received = [];
      this.typed = 0;
      clients.push(this);
      this.doc.on('update', (update, origin) => {
        if (origin === 'server') return;
        const at = now();
        keysSent++;
        this.socket.emit('notes.update', { update: toBase64(update) }, (reply) => {
          acks.add(now() - at);
          keysAcked++;
          if (!reply.ok) refused.push(reply.code);
        });
      });
    }

    connect() {
      this.socket = io(base, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        parser,
        auth: { token: this.session.sessionToken, protocol: PROTOCOL_VERSION },
      });
      this.socket.on('disconnect', () => disconnects++);
      this.socket.on('notes.update', (batch) => this.onBatch(batch));
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no snapshot within 20 s')), 20_000);
        this.socket.once(SOCKET.snapshot, () => (clearTimeout(t), resolve(this)));
        this.socket.once(SOCKET.fatal, (f) => (clearTimeout(t), reject(new Error(`${f.code}: ${f.message}`))));
        this.socket.once('connect_error', (err) => (clearTimeout(t), reject(err)));
      });
    }

    onBatch(batch) {
      let at = now();
      const info = batchInfo(batch);
      this.received.push(info);
      const keys = info.keys;
      for (let j = 0; j < keys.length; j += 2) {
        if (keys[j] === this.index) continue;
        const i = keys[j + 1];
        perDelivery.add(at - sentAt[i]);
        if (!received[i]++) firstAt[i] = at;
        if (at > lastAt[i]) lastAt[i] = at;
      }
      if (!this.applying) return;
      // The whole batch, own keystrokes included: Yjs skips what the document already holds.
      Y.applyUpdate(this.doc, mergedOf(info), 'server');
      at = now();
      for (let j = 0; j < keys.length; j += 2) if (keys[j] !== this.index) perApplied.add(at - sentAt[keys[j + 1]]);
    }

    async sync() {
      const reply = await this.socket
        .timeout(20_000)
        .emitWithAck('notes.sync', { stateVector: toBase64(Y.encodeStateVector(this.doc)) });
      if (!reply.ok) throw new Error(`notes.sync: ${reply.code} ${reply.message}`);
      Y.applyUpdate(this.doc, fromBase64(reply.result.update), 'server');
      return this.doc.getXmlFragment(NOTES_FRAGMENT).toString();
    }

    get paragraph() {
      return this.doc.getXmlFragment(NOTES_FRAGMENT).get(0).get(0);
    }

    type() {
      const k = this.typed++;
      const text = this.paragraph;
      const i = this.index * KEYS + k;
      sentAt[i] = now();
      // A letter of the editor's own, at a random place of the paragraph as this editor sees it.
      text.insert(Math.floor(Math.random() * (text.length + 1)), String.fromCharCode(97 + (this.index % 26)));
    }
  }

  try {
    const room = await post('/api/rooms', { name: 'Bench notes' });
    const joinStart = now();
    // The teacher is the first editor, and writes the paragraph everyone types into.
    const teacher = await new Editor(
      0,
      await post(`/api/join/${room.moderatorCode}`, { name: 'Teacher', audioMode: 'listen-only' }),
    ).connect();
    await teacher.sync();
    const fragment = teacher.doc.getXmlFragment(NOTES_FRAGMENT);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Notes : ')]);
    fragment.insert(0, [paragraph]);
    await until(() => keysAcked === keysSent, 'the first paragraph to be stored');
    if (refused.length) throw new Error(`the first paragraph was refused: ${refused[0]}`);
    keysSent = keysAcked = 0;
    const students = await inParallel(Array.from({ length: N - 1 }), 8, async (_, n) =>
      new Editor(
        n + 1,
        await post(`/api/join/${room.viewerCode}`, { name: `Student ${n + 1}`, audioMode: 'listen-only' }),
      ).connect(),
    );
    const editors = [teacher, ...students];
    await inParallel(students, 16, (s) => s.sync());
    const joinMs = now() - joinStart;
    for (const e of editors) {
      editorOf.set(e.doc.clientID, e.index);
      startClock[e.index] = Y.getState(e.doc.store, e.doc.clientID);
    }
    // The sample that applies every batch as it comes, spread over the joining order.
    for (let s = 0; s < Math.min(APPLYING, N); s++)
      editors[Math.floor((s * N) / Math.min(APPLYING, N))].applying = true;
    // The paragraph's own relay, if late, before the clock starts.
    await new Promise((r) => setTimeout(r, 500));
    // From here on only keystrokes are relayed: what is left over is the paragraph's, or stray.
    strayItems = 0;
    // Earlier batches (the paragraph's) are in every document already, by its sync.
    allBatches.length = 0;
    for (const e of editors) e.received = [];

    const rssBefore = vmRssMB(pid);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    const cpuBefore = cpuSeconds(pid);
    const machineBefore = machineBusySeconds();
    const ownBefore = process.cpuUsage();
    const hrStart = process.hrtime.bigint();
    const runStart = now();
    const endAt = runStart + DURATION_MS;
    loopDelay.enable();
    await Promise.all(
      editors.map(
        (e) =>
          new Promise((resolve) => {
            setTimeout(
              () => {
                e.type();
                const timer = setInterval(() => {
                  if (now() >= endAt || e.typed >= KEYS) {
                    clearInterval(timer);
                    resolve();
                  } else e.type();
                }, KEY_MS);
              },
              (e.index * KEY_MS) / N,
            );
          }),
      ),
    );
    const typedMs = now() - runStart;
    // The last acknowledgements and deliveries, if late.
    const expected = () => {
      let n = 0;
      for (const e of editors) for (let k = 0; k < e.typed; k++) if (received[e.index * KEYS + k] >= N - 1) n++;
      return n;
    };
    await until(() => keysAcked === keysSent, 'the acknowledgements', 15_000).catch(() => undefined);
    await until(() => expected() >= keysSent - refused.length, 'the last deliveries', 15_000).catch(() => undefined);
    const drainMs = now() - runStart - typedMs;
    if (profileDir) {
      const window = { startUs: Number(hrStart / 1000n), endUs: Number(process.hrtime.bigint() / 1000n) };
      writeFileSync(`${profileDir}/notes-${N}-window.json`, JSON.stringify(window));
    }
    const cpuAfter = cpuSeconds(pid);
    const machineBusy = machineBusySeconds() - machineBefore;
    const ownAfter = process.cpuUsage(ownBefore);
    loopDelay.disable();
    const rssAfter = vmRssMB(pid);
    const dropped = disconnects;
    const windowS = (now() - runStart) / 1000;

    // Convergence: the server's document, read by a fresh client, against every editor's.
    const checker = await new Editor(
      -1,
      await post(`/api/join/${room.viewerCode}`, { name: 'Checker', audioMode: 'listen-only' }),
    ).connect();
    const serverText = await checker.sync();
    checker.socket.disconnect();
    const checkStart = now();
    const everything = Y.mergeUpdates(allBatches.map(mergedOf));
    let converged = 0;
    let checked = 0;
    let caughtUp = 0;
    let sameBatches = 0;
    const differing = [];
    for (const e of editors) {
      // Applying the whole text to a document that holds little of it takes a while (a minute
      // for 200 editors): the sample that applied live is checked, and a few that catch up at
      // the end; the others received exactly the batches those did.
      const complete = e.received.length === allBatches.length;
      if (complete) sameBatches++;
      if (e.applying || !complete || caughtUp < CATCH_UP) {
        if (!e.applying) caughtUp++;
        checked++;
        // What this editor received: every batch (then all of them at once), or its own list.
        Y.applyUpdate(e.doc, complete ? everything : Y.mergeUpdates(e.received.map(mergedOf)), 'server');
        const text = e.doc.getXmlFragment(NOTES_FRAGMENT).toString();
        if (text === serverText) converged++;
        else differing.push(e.index);
      }
      e.socket.disconnect();
      e.doc.destroy();
      e.doc = null;
      e.received = null;
    }
    const checkMs = now() - checkStart;

    // Figures.
    const allOthers = new Histogram();
    const firstOther = new Histogram();
    let keysIncomplete = 0;
    let missing = 0;
    let keysCounted = 0;
    for (const e of editors) {
      for (let k = 0; k < e.typed; k++) {
        const i = e.index * KEYS + k;
        keysCounted++;
        const m = Math.max(0, N - 1 - received[i]);
        missing += m;
        if (m) keysIncomplete++;
        else {
          allOthers.add(lastAt[i] - sentAt[i]);
          firstOther.add(firstAt[i] - sentAt[i]);
        }
      }
    }
    const cores = availableParallelism();
    const seconds = typedMs / 1000;
    const pct = (cpu) => `${Math.round((cpu / windowS) * 100)} %`;
    const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
    const row = (label, h, goal) => {
      const p95 = h.quantile(0.95);
      const verdict = goal
        ? `p95 ≤ ${GOAL_P95_MS} ms${N === GOAL_AT ? '' : ` (at ${GOAL_AT})`}: ${p95 <= GOAL_P95_MS ? 'met' : 'NOT met'}`
        : '';
      console.log(
        `${label.padEnd(48)} ${ms(h.quantile(0.5)).padStart(9)} ${ms(p95).padStart(9)} ${ms(h.quantile(0.99)).padStart(9)} ${ms(h.max).padStart(10)}   ${verdict}`,
      );
    };
    const ownCpu = (ownAfter.user + ownAfter.system) / 1e6;
    const serverCpu = cpuAfter.own - cpuBefore.own;
    const childrenCpu = cpuAfter.descendants - cpuBefore.descendants;
    const others = Math.max(0, machineBusy - serverCpu - childrenCpu - ownCpu);

    console.log(
      `\nShared notes: ${N} editors in one meeting (joined and synced in ${(joinMs / 1000).toFixed(1)} s), typing for ${seconds.toFixed(1)} s,`,
    );
    console.log(
      `each a character every ${KEY_MS} ms at a random place of one paragraph (${Math.round((N * 1000) / KEY_MS)} keystrokes/s in all); ` +
        `${Math.min(APPLYING, N)} editors apply each batch as it comes`,
    );
    console.log(
      `${''.padEnd(48)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(10)}   goal`,
    );
    row('keystroke: sent → at each other editor', perDelivery, true);
    row(`keystroke: sent → at the last of ${N - 1} others`, allOthers);
    row('keystroke: sent → at the first other', firstOther);
    row('keystroke: sent → applied (sample of editors)', perApplied);
    row('keystroke: sent → acknowledged (server applied)', acks);
    console.log(
      `keystrokes: ${keysCounted} typed, ${keysSent} sent, ${keysAcked} acknowledged, refused ${refused.length}` +
        (refused.length ? ` (${[...new Set(refused)].join(', ')})` : '') +
        `; ${keysCounted * (N - 1) - missing} of ${keysCounted * (N - 1)} deliveries arrived, ${missing} missing ` +
        `(${keysIncomplete} keystrokes not at every other editor; ${(drainMs / 1000).toFixed(1)} s waited after the typing)`,
    );
    console.log(
      `relay: ${Math.round(batches / seconds)} batches/s to each editor, ${(batchItems / Math.max(1, batches)).toFixed(1)} updates per batch` +
        (strayItems ? `, ${strayItems} unexpected items` : '') +
        (dropped ? `; ${dropped} editors were disconnected during the run` : ''),
    );
    console.log(
      `convergence: ${converged} of ${checked} documents checked hold the server's text (${serverText.length} characters of XML; ` +
        `${checked - caughtUp} applied every batch live, ${caughtUp} caught up at the end, in ${(checkMs / 1000).toFixed(1)} s); ` +
        `${sameBatches} of ${N} editors received every batch: ` +
        `${converged === checked && sameBatches === N ? 'converged' : `NOT converged (editors ${differing.slice(0, 10).join(', ')}…)`}`,
    );
    console.log(
      `CPU over ${windowS.toFixed(1)} s, % of one core (${cores} cores): server ${pct(serverCpu)} ` +
        `(in the kernel ${pct(cpuAfter.ownSystem - cpuBefore.ownSystem)}), its PostgreSQL and LiveKit ${pct(childrenCpu)}, ` +
        `this benchmark's ${N} editors ${pct(ownCpu)}, other processes ${pct(others)}` +
        (others / windowS > 0.2 ? ' (not a quiet machine: the figures above are pessimistic)' : ''),
    );
    console.log(
      `server memory (RSS): ${rssBefore.toFixed(0)} MB after the joins, ${rssAfter.toFixed(0)} MB after the typing; ` +
        `benchmark's event loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms` +
        (ownCpu / windowS > 0.85
          ? ' — the editors saturate their core: their own queueing is part of the latencies'
          : ''),
    );
    return {
      N,
      p50: perDelivery.quantile(0.5),
      p95: perDelivery.quantile(0.95),
      missing,
      converged: converged === checked && sameBatches === N,
    };
  } finally {
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const c of clients) c.socket?.disconnect();
    await stopOnce();
  }
}

let ok = true;
for (const N of SIZES) {
  const r = await run(N);
  ok = ok && r.missing === 0 && r.converged;
}
if (!ok) process.exitCode = 1;
