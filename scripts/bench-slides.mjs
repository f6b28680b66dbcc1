#!/usr/bin/env node
// Slides: for every corpus document, the time from the upload's last byte sent to
//   - the first page being available to viewers (a student's socket receives `presentation.added`:
//     the browser then renders the page itself from the PDF), and
//   - every page processed (count, text, thumbnails: `presentation.processed`),
// on a real server with its own PostgreSQL, LiveKit and LibreOffice; and beside it, in the same
// run, the same document through BigBlueButton's pipeline on this machine:
//   Office/ODF: LibreOffice to PDF (images: a one-page PDF, as BBB's ImageMagick step makes);
//   pdfseparate into single-page PDFs; then per page, two pages at a time: pdffonts (BBB looks
//   for Type 3 fonts to choose SVG or PNG), pdftotext, a 150 px thumbnail (pdftocairo -png
//   -scale-to 150) and a 300 dpi SVG (pdftocairo -svg -r 300).
// Cold: the first upload after the server starts (a fresh server per cold document). Warm: the
// same server after that. Files are stored by SHA-256, so a document measured warm after its
// cold copy is a byte-modified copy (a comment after the end, which every reader ignores), never a
// cache hit. Beside the times, the CPU each side used (the server process with its threads and
// the children it waited for, such as LibreOffice, and its PDF tool runner with the poppler
// tools and qpdf it ran; the BBB-style tools): on a shared
// machine the times move with other people's load, the CPU much less. Prints figures; not a timed
// test.
//
//   node scripts/bench-slides.mjs [--only a.pdf,b.pptx] [--cold tracemonkey.pdf,...] [--no-bbb]
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { io } from 'socket.io-client';
import { startBenchServer } from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');
const { PDFDocument } = createRequire(join(import.meta.dirname, '../apps/server/package.json'))('pdf-lib');
const run = promisify(execFile);

const root = join(import.meta.dirname, '..');
const corpus = [process.env.ESTRADE_CORPUS, join(root, '../shared/corpus'), '/work/shared/corpus'].find(
  (d) => d && existsSync(join(d, 'documents')),
);
if (!corpus) throw new Error('test documents not found (set ESTRADE_CORPUS)');
const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    cold: { type: 'string', default: 'tracemonkey.pdf,cht-chart-type.pptx' },
    'no-bbb': { type: 'boolean', default: false },
  },
});
const list = (s) => (s ? s.split(',').filter(Boolean) : []);
const DOCUMENTS = readdirSync(join(corpus, 'documents'))
  .filter((f) => !f.startsWith('.') && f !== 'README.md')
  .filter((f) => !args.only || list(args.only).includes(f))
  .sort();
const COLD = list(args.cold).filter((f) => DOCUMENTS.includes(f));
const work = mkdtempSync(join(tmpdir(), 'bench-slides-'));
const benchStarted = performance.now();

/** A copy with other bytes (so another SHA-256) that every reader still reads the same. */
function variant(file, tag) {
  const out = join(work, `${tag}-${basename(file)}`);
  // Trailing bytes: after %%EOF (PDF), after a ZIP's end record, PNG's IEND, JPEG's EOI.
  writeFileSync(out, Buffer.concat([readFileSync(file), Buffer.from(`\n%${tag}\n`)]));
  return out;
}

/** CPU seconds of a process: its own (all threads) and its waited-for children's, from /proc. */
function cpuOf(pid) {
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: fields count from after it.
  const f = raw
    .slice(raw.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { own: (f[11] + f[12]) / 100, children: (f[13] + f[14]) / 100 };
}
/** The server's CPU, with its PDF tool runner's (alive, so not among the waited-for children). */
const serverCpu = (pid) => {
  const c = cpuOf(pid);
  let total = c.own + c.children;
  for (const child of childrenOf(pid)) {
    if (!readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('pdf-tool-runner')) continue;
    const r = cpuOf(child);
    total += r.own + r.children;
  }
  return total;
};
const childrenOf = (pid) =>
  readdirSync(`/proc/${pid}/task`).flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean);
    } catch {
      return [];
    }
  });

let ports = 0;
async function server() {
  const n = ports++;
  const s = await startBenchServer({
    name: 'bench-slides',
    port: 3260 + n * 10,
    postgresPort: 54343 + n,
    livekitPort: 7960 + n * 10,
    rtcPort: 7961 + n * 10,
  });
  const room = await s.post('/api/rooms', { name: 'Bench' });
  const teacher = await connect(
    s.base,
    await s.post(`/api/join/${room.moderatorCode}`, { name: 'Teacher', audioMode: 'listen-only' }),
  );
  const student = await connect(
    s.base,
    await s.post(`/api/join/${room.viewerCode}`, { name: 'Student', audioMode: 'listen-only' }),
  );
  const { access } = (await teacher.socket.timeout(10_000).emitWithAck(SOCKET.presentationAccess)).result;
  return {
    /** Uploads a file and measures it as a viewer sees it. */
    measure: async (file) => {
      const cpuBefore = serverCpu(s.pid);
      const { sentAt, reply } = await upload(s.base, access, file);
      const firstAt = await waitFor(
        student.events,
        (e) => e.type === 'presentation.added' && e.presentationId === reply.presentationId,
      );
      const added = student.events.find((x) => x.event.presentationId === reply.presentationId).event;
      const allAt = added.processed
        ? firstAt
        : await waitFor(student.events, (e) => e.type === 'presentation.processed' && e.fileId === reply.fileId);
      return { pages: added.pages, first: firstAt - sentAt, all: allAt - sentAt, cpu: serverCpu(s.pid) - cpuBefore };
    },
    stop: async () => {
      teacher.socket.close();
      student.socket.close();
      await s.stop();
    },
  };
}

async function connect(base, session) {
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
function upload(base, access, file) {
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

async function waitFor(events, pred, timeoutMs = 900_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const e = events.find((x) => pred(x.event));
    if (e) return e.at;
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** BigBlueButton's pipeline on this machine (see the top of this file). */
async function bbbPipeline(file) {
  const dir = mkdtempSync(join(work, 'bbb-'));
  try {
    const t0 = performance.now();
    const cpu0 = cpuOf(process.pid).children;
    let pdf = join(dir, 'document.pdf');
    const ext = extname(file).toLowerCase();
    if (ext === '.pdf') pdf = file;
    else if (['.png', '.jpg', '.jpeg'].includes(ext)) {
      const doc = await PDFDocument.create();
      const bytes = readFileSync(file);
      const image = ext === '.png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
      doc.addPage([image.width, image.height]).drawImage(image, { x: 0, y: 0 });
      writeFileSync(pdf, await doc.save());
    } else {
      await run('soffice', [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        file,
      ]);
      pdf = join(dir, basename(file).replace(/\.[^.]+$/, '.pdf'));
    }
    await run('pdfseparate', [pdf, join(dir, 'page-%d.pdf')]);
    const pages = readdirSync(dir).filter((f) => /^page-\d+\.pdf$/.test(f)).length;
    const page = async (n) => {
      const one = join(dir, `page-${n}.pdf`);
      await run('pdffonts', [one]);
      await run('pdftotext', [one, join(dir, `${n}.txt`)]);
      await run('pdftocairo', ['-png', '-scale-to', '150', '-singlefile', one, join(dir, `thumb-${n}`)]);
      await run('pdftocairo', ['-svg', '-r', '300', one, join(dir, `${n}.svg`)]);
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
    return { pages, first, all: performance.now() - t0, cpu: cpuOf(process.pid).children - cpu0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const rows = [];
const measure = async (srv, kind, file, name = basename(file)) => {
  const ours = await srv.measure(file);
  const bbb = args['no-bbb'] ? null : await bbbPipeline(file);
  const row = { name, kind, ...ours, bbb };
  rows.push(row);
  process.stderr.write(`  ${kind} ${name}: ${fmt(ours.all)}${bbb ? ` / BBB ${fmt(bbb.all)}` : ''}\n`);
  return row;
};

try {
  // Cold: a fresh server, this document first (a copy: the warm run below uploads the original).
  for (const name of COLD) {
    const srv = await server();
    try {
      await measure(srv, 'cold', variant(join(corpus, 'documents', name), 'cold'), name);
    } finally {
      await srv.stop();
    }
  }
  const srv = await server();
  try {
    // The server has already read a document of its own at start-up (the default deck): warm.
    for (const name of DOCUMENTS) await measure(srv, 'warm', join(corpus, 'documents', name));
  } finally {
    await srv.stop();
  }

  console.log('\nSlides: upload complete → first page available to viewers / all pages processed (text, thumbnails)');
  console.log(
    'BBB-style: [LibreOffice,] pdfseparate, then per page pdffonts, pdftotext, 150 px PNG, 300 dpi SVG, two at a time',
  );
  console.log(
    'run   file                      pages   first page   all pages  | BBB-style: first page   all pages  | all: ours / BBB | CPU s: ours  BBB  ratio',
  );
  for (const r of rows) {
    const bbb = r.bbb
      ? `${fmt(r.bbb.first).padStart(21)} ${fmt(r.bbb.all).padStart(11)}  | ${(r.all / r.bbb.all).toFixed(2).padStart(15)} | ${r.cpu.toFixed(2).padStart(11)} ${r.bbb.cpu.toFixed(2).padStart(5)} ${(r.cpu / r.bbb.cpu).toFixed(2).padStart(6)}${r.bbb.pages !== r.pages ? ` (BBB: ${r.bbb.pages} pages)` : ''}`
      : '';
    console.log(
      `${r.kind.padEnd(5)} ${r.name.padEnd(25)} ${String(r.pages).padStart(5)} ${fmt(r.first).padStart(12)} ${fmt(r.all).padStart(11)}  | ${bbb}`,
    );
  }
  const pdfs = rows.filter((r) => r.bbb && r.name.endsWith('.pdf'));
  if (pdfs.length) {
    const worst = pdfs.reduce((a, b) => (a.all / a.bbb.all > b.all / b.bbb.all ? a : b));
    console.log(`worst PDF ratio: ${(worst.all / worst.bbb.all).toFixed(2)} (${worst.kind} ${worst.name})`);
    const met = pdfs.filter((r) => r.all / r.bbb.all <= 1 / 3).map((r) => `${r.kind} ${r.name}`);
    console.log(`PDFs within a third of the BBB-style time: ${met.length ? met.join(', ') : 'none'}`);
  }
  console.log(`bench total: ${fmt(performance.now() - benchStarted)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
