import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { Client } from 'pg';
import { findRepoRoot } from '../infra/repo-root';
import { freePort } from './ports';

/**
 * The real server, as a child process (so it can be killed and restarted), against the run's
 * PostgreSQL and its own embedded LiveKit, in a throwaway data folder.
 */
export class TestServer {
  readonly root = findRepoRoot(__dirname);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'estrade-int-'));
  port = 0;
  livekitPort = 0;
  private rtcPort = 0;
  private postgresPort = 0;
  private child: ChildProcess | null = null;
  private output = '';

  constructor(private readonly env: Record<string, string> = {}) {}

  /** The server's environment; `DATABASE_URL: ''` in `env` runs it on its own embedded PostgreSQL. */
  private async environment(): Promise<Record<string, string>> {
    this.rtcPort ||= await freePort();
    if (this.env.DATABASE_URL === '') this.postgresPort ||= await freePort();
    return {
      PORT: String(this.port),
      HOST: '127.0.0.1',
      ESTRADE_DATA_DIR: this.dataDir,
      DATABASE_URL: process.env.ESTRADE_TEST_DATABASE_URL!,
      ...(this.postgresPort ? { EMBEDDED_POSTGRES_PORT: String(this.postgresPort) } : {}),
      EMBEDDED_LIVEKIT_PORT: String(this.livekitPort),
      EMBEDDED_LIVEKIT_RTC_PORT: String(this.rtcPort),
      RECONNECT_GRACE_SECONDS: '2',
      LOG_LEVEL: 'warn',
      ...this.env,
    };
  }

  /** What the server printed since it last started (its log lines). */
  get logs(): string {
    return this.output;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (!this.port) {
      this.port = await freePort();
      this.livekitPort = await freePort();
    }
    if (!process.env.ESTRADE_TEST_DATABASE_URL)
      throw new Error('ESTRADE_TEST_DATABASE_URL is not set: the integration global setup did not run');
    this.output = '';
    this.child = spawn(process.execPath, [path.join(this.root, 'apps/server/dist/apps/server/src/main.js')], {
      env: { PATH: process.env.PATH, ...(await this.environment()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (b) => (this.output += b));
    this.child.stderr!.on('data', (b) => (this.output += b));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`server exited during start-up:\n${this.output}`);
      const ok = await fetch(`${this.url}/api/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return this;
      if (Date.now() > deadline) throw new Error(`server did not start in time:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The server process's resident memory now, in bytes (Linux). */
  rss(): number {
    if (!this.child?.pid) throw new Error('the server is not running');
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
  }

  /**
   * The server's memory after a full garbage collection, asked through Node's inspector: start
   * the server with `NODE_OPTIONS: '--inspect=127.0.0.1:0'` in its environment. What the heap
   * still holds then is what the server keeps, whatever the allocator has not handed back yet.
   */
  async memoryAfterGc(): Promise<{ heapUsed: number; rss: number }> {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(this.output)?.[1];
    if (!url) throw new Error('the server was not started with --inspect');
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    let next = 0;
    const call = (method: string, params: object = {}) =>
      new Promise<{ result?: { result?: { value?: string } } }>((resolve) => {
        const id = ++next;
        ws.addEventListener('message', function reply(m: MessageEvent) {
          const msg = JSON.parse(String(m.data));
          if (msg.id !== id) return;
          ws.removeEventListener('message', reply);
          resolve(msg);
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
    try {
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      });
      return JSON.parse(usage.result!.result!.value!);
    } finally {
      ws.close();
    }
  }

  /** kill -9 of the server process alone: what it started (PostgreSQL, LiveKit) is left running. */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.child = null;
  }

  /** Starts a server expected to refuse to start: its exit code and what it printed. */
  async failToStart(timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
    if (!this.port) {
      this.port = await freePort();
      this.livekitPort = await freePort();
    }
    const child = spawn(process.execPath, [path.join(this.root, 'apps/server/dist/apps/server/src/main.js')], {
      env: { PATH: process.env.PATH, ...(await this.environment()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (b) => (output += b));
    child.stderr!.on('data', (b) => (output += b));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => (child.kill('SIGKILL'), resolve(null)), timeoutMs);
      child.once('exit', (c) => (clearTimeout(t), resolve(c)));
    });
    return { code, output };
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  get secrets(): { livekitApiKey: string; livekitApiSecret: string } {
    return JSON.parse(fs.readFileSync(path.join(this.dataDir, 'secrets.json'), 'utf8'));
  }

  get livekitUrl() {
    return `ws://127.0.0.1:${this.livekitPort}`;
  }

  livekit(): RoomServiceClient {
    const s = this.secrets;
    return new RoomServiceClient(`http://127.0.0.1:${this.livekitPort}`, s.livekitApiKey, s.livekitApiSecret);
  }

  async http(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any; setCookie: string[] }> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null), setCookie: res.headers.getSetCookie() };
  }

  /** Rows of the database as stored, for tests that look at what is kept (a query on the test database). */
  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const db = new Client({ connectionString: process.env.ESTRADE_TEST_DATABASE_URL });
    await db.connect();
    try {
      return (await db.query(sql, params)).rows as T[];
    } finally {
      await db.end();
    }
  }

  /** The meeting's event log as stored in PostgreSQL. */
  async log(meetingId: string): Promise<{ seq: number; type: string; actor: string | null }[]> {
    const db = new Client({ connectionString: process.env.ESTRADE_TEST_DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT seq::int AS seq, type, actor FROM meeting_events WHERE meeting_id = $1 ORDER BY seq',
        [meetingId],
      );
      return rows;
    } finally {
      await db.end();
    }
  }
}
