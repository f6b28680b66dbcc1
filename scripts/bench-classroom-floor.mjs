// The floor under the control-plane figures: the same storms and fan-out with bare WebSockets
// (the `ws` library that socket.io runs on) and nothing else: no socket.io, no classroom, no
// database. Same machine, same run, same client processes and clock as bench-classroom.mjs, so
// what the classroom adds is the difference. Imported by bench-classroom.mjs; as a child process
// (argv[2] === 'clients') it holds its share of the clients.
import { WebSocket, WebSocketServer } from 'ws';
import { clientProcesses, clock, serveCommands } from './bench-server.mjs';

/** What a welcome and a page turn weigh on the wire, about: a resume's reply, an event. */
const WELCOME = 'w'.repeat(100);
const TURN = 't'.repeat(120);

if (process.argv[2] === 'clients') {
  let url = '';
  let sockets = [];
  let receipts = [];
  /** Opens `count` sockets at once; resolves once each has its welcome. */
  const open = (count) =>
    Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise((resolve, reject) => {
            const attempt = (left) => {
              const ws = new WebSocket(url, { perMessageDeflate: false });
              ws.once('message', () => {
                ws.on('message', () => receipts.push(clock()));
                resolve(ws);
              });
              // A refused connection (a full accept queue) is tried again, as socket.io's client does.
              ws.once('error', () =>
                left > 0 ? setTimeout(() => attempt(left - 1), 200) : reject(new Error('refused')),
              );
            };
            attempt(5);
          }),
      ),
    );
  const work = {
    async start(args) {
      url = args.url;
      return {};
    },
    async open({ count }) {
      sockets = await open(count);
      return {};
    },
    async close() {
      const closed = sockets.map((ws) => new Promise((r) => (ws.once('close', r), ws.close())));
      await Promise.all(closed);
      const count = sockets.length;
      sockets = [];
      return { count };
    },
    async receipts() {
      const r = receipts;
      receipts = [];
      return { receipts: r };
    },
  };
  serveCommands(work);
}

/**
 * The storms and fan-out for `n` bare WebSocket clients over `workers` client processes:
 * connect storm (each client until its welcome), fan-out of `turns` messages to all (ms from the
 * send to each receipt), reconnect storm. Times in ms.
 */
export async function floor(n, workers, turns) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, backlog: 4096, perMessageDeflate: false });
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (ws) => ws.send(WELCOME));
  const url = `ws://127.0.0.1:${server.address().port}`;
  const children = await clientProcesses(new URL(import.meta.url), workers, { url }, ['clients']);
  const share = (k) => Math.floor(n / workers) + (k < n % workers ? 1 : 0);
  const all = (command, args) => Promise.all(children.map((c, k) => c.call(command, args?.(k) ?? {})));
  try {
    let t = clock();
    await all('open', (k) => ({ count: share(k) }));
    const connect = clock() - t;

    const latencies = [];
    for (let i = 0; i < turns; i++) {
      const sent = clock();
      for (const ws of server.clients) ws.send(TURN);
      await new Promise((r) => setTimeout(r, 100));
      for (const { receipts } of await all('receipts')) for (const at of receipts) latencies.push(at - sent);
    }
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];

    await all('close');
    while (server.clients.size) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    t = clock();
    await all('open', (k) => ({ count: share(k) }));
    const reconnect = clock() - t;
    await all('close');
    return { connect, fanoutP50: q(0.5), fanoutP99: q(0.99), deliveries: latencies.length, reconnect };
  } finally {
    for (const c of children) c.child.kill();
    await new Promise((r) => server.close(r));
  }
}
