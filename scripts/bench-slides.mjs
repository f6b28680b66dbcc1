#!/usr/bin/env node
// Slides: for each benchmark document, the time from the upload's last byte sent to
//   - the first page being available to viewers (a student's socket receives `presentation.added`:
//     the browser then renders the page itself from the PDF), and
//   - every page processed (count, text, thumbnails: `presentation.processed`),
// on a real server with its own PostgreSQL, LiveKit and LibreOffice, and beside it the same
// document through BigBlueButton's per-page pipeline on this machine (LibreOffice for Office
// files, then per page pdftotext + 150 px pdftocairo PNG + 300 dpi pdftocairo SVG, two pages at
// a time). Prints figures; not a timed test.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { io } from 'socket.io-client';
import { startBenchServer } from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');
const run = promisify(execFile);

const root = join(import.meta.dirname, '..');
const corpus = [process.env.ESTRADE_CORPUS, join(root, '../shared/corpus'), '/work/shared/corpus'].find(
  (d) => d && existsSync(join(d, 'documents')),
);
if (!corpus) throw new Error('test documents not found (set ESTRADE_CORPUS)');
const FILES = ['tracemonkey.pdf', 'freeculture.pdf', 'cht-chart-type.pptx'].map((f) => join(corpus, 'documents', f));
const { base, stop } = await startBenchServer({
  name: 'bench-slides',
  port: 3260,
  postgresPort: 54343,
  livekitPort: 7960,
  rtcPort: 7961,
});

const post = async (path, body) =>
  (
    await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json();

async function connect(session) {
  const socket = io(base, {
    transports: ['websocket'],
    auth: { token: session.sessionToken, protocol: PROTOCOL_VERSION },
  });
  const events = [];
  socket.on(SOCKET.events, (batch) => {
    for (const e of batch) events.push({ at: performance.now(), event: e.event });
  });
  await new Promise((resolve) => socket.once(SOCKET.snapshot, resolve));
  return { socket, events };
}

/** PUT the file; resolves with the moment its last byte was handed to the network, and the reply. */
function upload(access, file) {
  const body = readFileSync(file);
  return new Promise((resolve, reject) => {
    let sentAt = 0;
    const req = request(`${base}/api/presentations?name=${encodeURIComponent(basename(file))}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${access}`, 'content-length': body.length },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        res.statusCode === 201 ? resolve({ sentAt, reply: JSON.parse(text) }) : reject(new Error(text)),
      );
    });
    req.on('error', reject);
    req.end(body, () => (sentAt = performance.now()));
  });
}

async function waitFor(events, pred, timeoutMs = 600_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const e = events.find((x) => pred(x.event));
    if (e) return e.at;
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** BigBlueButton's pipeline on this machine: convert (Office), then per page text, thumbnail and SVG, two at a time. */
async function bbbPipeline(file) {
  const work = mkdtempSync(join(tmpdir(), 'bbb-like-'));
  try {
    const t0 = performance.now();
    let pdf = file;
    if (!file.endsWith('.pdf')) {
      await run('soffice', [
        `-env:UserInstallation=file://${work}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        work,
        file,
      ]);
      pdf = join(work, basename(file).replace(/\.[^.]+$/, '.pdf'));
    }
    const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [pdf])).stdout)[1]);
    const page = async (n) => {
      const p = String(n);
      await run('pdftotext', ['-f', p, '-l', p, pdf, join(work, `${n}.txt`)]);
      await run('pdftocairo', [
        '-png',
        '-scale-to',
        '150',
        '-f',
        p,
        '-l',
        p,
        '-singlefile',
        pdf,
        join(work, `thumb-${n}`),
      ]);
      await run('pdftocairo', ['-svg', '-r', '300', '-f', p, '-l', p, pdf, join(work, `${n}.svg`)]);
    };
    let next = 1;
    let first = 0;
    const worker = async () => {
      while (next <= pages) {
        const n = next++;
        await page(n);
        if (n === 1) first = performance.now() - t0;
      }
    };
    await Promise.all([worker(), worker()]);
    return { pages, first, all: performance.now() - t0 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

try {
  const room = await post('/api/rooms', { name: 'Bench' });
  const teacher = await connect(
    await post(`/api/join/${room.moderatorCode}`, { name: 'Teacher', audioMode: 'listen-only' }),
  );
  const student = await connect(
    await post(`/api/join/${room.viewerCode}`, { name: 'Student', audioMode: 'listen-only' }),
  );
  const { access } = (await teacher.socket.timeout(10_000).emitWithAck(SOCKET.presentationAccess)).result;

  const rows = [];
  for (const file of FILES) {
    const { sentAt, reply } = await upload(access, file);
    const firstAt = await waitFor(
      student.events,
      (e) => e.type === 'presentation.added' && e.presentationId === reply.presentationId,
    );
    const added = student.events.find((x) => x.event.presentationId === reply.presentationId).event;
    const allAt = added.processed
      ? firstAt
      : await waitFor(student.events, (e) => e.type === 'presentation.processed' && e.fileId === reply.fileId);
    const bbb = await bbbPipeline(file);
    rows.push({ file: basename(file), pages: added.pages, first: firstAt - sentAt, all: allAt - sentAt, bbb });
  }
  teacher.socket.close();
  student.socket.close();

  console.log('\nSlides: upload complete → first page available to viewers / all pages processed (text, thumbnails)');
  console.log(
    'file                     pages   first page   all pages  | BBB-like: first page   all pages  | all: ours / BBB',
  );
  for (const r of rows) {
    console.log(
      `${r.file.padEnd(24)} ${String(r.pages).padStart(5)} ${fmt(r.first).padStart(12)} ${fmt(r.all).padStart(11)}  | ${fmt(r.bbb.first).padStart(20)} ${fmt(r.bbb.all).padStart(11)}  | ${(r.all / r.bbb.all).toFixed(2)}`,
    );
  }
} finally {
  await stop();
}
