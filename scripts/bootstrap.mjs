#!/usr/bin/env node
// Installs whatever a fresh clone is missing, then returns. Runs on whatever Node is on the
// machine (even 20): only built-in modules here. The project itself then runs on the Node 24
// that the `node` devDependency puts first on the PATH of npm scripts.
//
//   node scripts/bootstrap.mjs              for `npm start`
//   node scripts/bootstrap.mjs --for-tests  also the system packages the tests need
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--for-tests');
const LIVEKIT_MODULE = 'github.com/livekit/livekit-server/cmd/server@v1.13.5';
const isRoot = process.getuid?.() === 0;

const say = (msg) => process.stdout.write(`[bootstrap] ${msg}\n`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
function run(cmd, args, opts = {}) {
  say(`${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}
/** Like run, but in the background: resolves when the command has succeeded. */
function start(cmd, args, opts = {}) {
  say(`${cmd} ${args.join(' ')}`);
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return new Promise((resolve) => {
    child.on('error', (err) => fail(`${cmd}: ${err.message}`));
    child.on('exit', (code) => (code === 0 ? resolve() : fail(`${cmd} ${args.join(' ')} failed (${code})`)));
  });
}
function fail(msg) {
  process.stderr.write(`[bootstrap] ${msg}\n`);
  process.exit(1);
}

// 1. The LiveKit server, unless one is given: built in the background while npm installs.
let livekitBuilt = Promise.resolve();
const livekitBinary = join(root, 'tools/bin/server');
if (process.env.LIVEKIT_URL) {
  say('LIVEKIT_URL is set: using that LiveKit server');
} else if (has('livekit-server')) {
  say('using livekit-server from PATH');
} else if (!existsSync(livekitBinary)) {
  if (!has('go'))
    fail(`the LiveKit server is missing and Go is not installed to build it (go install ${LIVEKIT_MODULE})`);
  mkdirSync(dirname(livekitBinary), { recursive: true });
  livekitBuilt = start('go', ['install', LIVEKIT_MODULE], { env: { ...process.env, GOBIN: dirname(livekitBinary) } });
}

// 2. npm packages, on a fresh clone or when the lockfile changed. `npm install`, not `npm ci`:
// the lockfile lacks some other platforms' optional binaries that this registry does not serve,
// and `npm ci` refuses such a lockfile while `npm install` skips them.
const installed = join(root, 'node_modules/.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
  run('npm', ['install', '--no-audit', '--no-fund']);
}
if (!existsSync(join(root, 'node_modules/.bin/node')))
  fail('node_modules/.bin/node (Node 24) is missing after npm install');

await livekitBuilt;

// 3. System packages, from Debian when root: LibreOffice converts ODF and Office uploads (the
// server starts without it and refuses those uploads with a clear message), kept running and
// driven through python3-uno; qpdf rebuilds damaged PDFs (without it they are refused as broken,
// and the tests that upload them fail); poppler-utils (pdftoppm, pdftotext, pdfinfo) reads each
// page's thumbnail, text and size, three times faster than pdf.js, which does it without them
// (the tests also use pdfinfo and pdftocairo: a second opinion on page counts, the benchmark's
// baseline); Chromium is for the tests.
const wanted = [];
if (!has('soffice'))
  wanted.push(
    'libreoffice-impress-nogui',
    'libreoffice-writer-nogui',
    'libreoffice-calc-nogui',
    'fonts-dejavu-core',
    'fonts-liberation2',
  );
// python3-uno drives the resident LibreOffice (warm conversions); without it, each conversion
// starts a cold LibreOffice.
if (spawnSync('/usr/bin/python3', ['-c', 'import uno'], { stdio: 'ignore' }).status !== 0) wanted.push('python3-uno');
if (!has('qpdf')) wanted.push('qpdf');
if (forTests && !existsSync('/usr/bin/chromium')) wanted.push('chromium');
if (!has('pdftoppm') || !has('pdftotext') || !has('pdfinfo')) wanted.push('poppler-utils');
if (wanted.length > 0) {
  if (!isRoot) {
    const msg = `missing Debian packages: ${wanted.join(' ')} (apt-get install ${wanted.join(' ')})`;
    if (forTests) fail(msg);
    say(`${msg}; starting without them`);
  } else {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', ...wanted], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}
say('ready');
