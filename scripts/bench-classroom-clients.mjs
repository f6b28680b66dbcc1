// One of the control-plane bench's client processes (forked by bench-classroom.mjs): it holds
// its share of the listen-only students, joins, reconnects and reloads them when the parent
// says, and notes when each page turn or chat message reached each of them. Clients spread
// over a few processes use the cores the server leaves free, as a class's browsers would, so
// their own work does not pass for the server's. Times are read from the machine's monotonic
// clock (`process.hrtime`), the same in every process, so the parent compares them with its own.
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { io } from 'socket.io-client';
import { clock, inParallel, serveCommands, sharedDecoding } from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');

// A browser decodes its own copy of a broadcast; here the same text is decoded once for all.
const parser = sharedDecoding({ minLength: 200, keep: 64 });
let base = null;
let agent = null;
let maxSockets = 1;
/** This process's students: their session, the last seq each holds, their socket. */
let clients = [];
/** Receipts of the presenter's probes: [key, time] in arrival order. */
let receipts = [];

/** POST /api/join/:code with Node's http (fetch's pool queues a storm behind a few sockets). */
function join(code, name) {
  const origin = new URL(base);
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

/** Notes each probe (a page turn, a chat message) as it arrives: its key and the time. */
function onEvents(events) {
  const at = clock();
  for (const { event: ev } of events) {
    const key = ev.type === 'slide.changed' ? `turn/${ev.page}` : ev.type === 'chat.sent' ? `chat/${ev.text}` : null;
    if (key) receipts.push([key, at]);
  }
}

/**
 * A socket for this client, keeping the last seq it holds; resolves once its snapshot arrived,
 * or with `lastSeq` (a reconnection, as the web app makes one) once the server says it resumed.
 */
function connect(client, lastSeq) {
  const socket = io(base, {
    transports: ['websocket'],
    forceNew: true,
    // A connection refused in a storm (a full accept queue) is tried again, as the web app does.
    reconnectionAttempts: 5,
    reconnectionDelay: 200,
    parser,
    auth: {
      token: client.session.sessionToken,
      protocol: PROTOCOL_VERSION,
      ...(lastSeq === undefined ? {} : { lastSeq }),
    },
  });
  client.socket = socket;
  socket.on(SOCKET.events, (events) => {
    client.lastSeq = Math.max(client.lastSeq, events.at(-1).seq);
    onEvents(events);
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no snapshot within 60 s')), 60_000);
    const done = () => (clearTimeout(t), resolve());
    socket.once(SOCKET.snapshot, (s) => ((client.lastSeq = Math.max(client.lastSeq, s.seq)), done()));
    socket.once(SOCKET.fatal, (f) => (clearTimeout(t), reject(new Error(`${f.code}: ${f.message}`))));
    socket.io.once('reconnect_failed', () => (clearTimeout(t), reject(new Error('could not connect, 6 times'))));
    // Resuming: the server sends what was missed (often nothing), then says it is up to date.
    socket.once(SOCKET.resumed, (r) => ((client.lastSeq = Math.max(client.lastSeq, r.seq)), done()));
  });
}

const work = {
  /** Joins these students at once: the HTTP join, then the socket until its snapshot. */
  async join({ code, first, count }) {
    // A fresh pool per storm: a connection the server closed while idle (its keep-alive timeout,
    // between two sizes) would otherwise be reused as it closes ("socket hang up").
    agent?.destroy();
    agent = new Agent({ keepAlive: true, maxSockets });
    const joinTimes = [];
    clients = await inParallel(
      Array.from({ length: count }, (_, i) => first + i),
      count,
      async (i) => {
        const s = clock();
        const session = await join(code, `Élève ${i}`);
        joinTimes.push(clock() - s);
        const client = { session, lastSeq: 0, socket: null };
        await connect(client);
        return client;
      },
    );
    return { joinTimes };
  },
  async drop() {
    for (const c of clients) c.socket.disconnect();
    return {};
  },
  /** Every student comes back at once: resuming from the last event held, or afresh (a reload). */
  async reconnect({ resume }) {
    await Promise.all(clients.map((c) => connect(c, resume ? c.lastSeq : undefined)));
    return {};
  },
  /** The lowest seq any of these students holds. */
  async lowestSeq() {
    return { seq: Math.min(...clients.map((c) => c.lastSeq)) };
  },
  /** The probes received since the last call. */
  async start(args) {
    base = args.base;
    maxSockets = args.maxSockets;
    return {};
  },
  async receipts() {
    const r = receipts;
    receipts = [];
    return { receipts: r };
  },
  async close() {
    for (const c of clients) c.socket?.disconnect();
    agent?.destroy();
    agent = null;
    clients = [];
    receipts = [];
    return {};
  },
};

serveCommands(work);
