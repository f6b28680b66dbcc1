#!/usr/bin/env node
// Polls under a whole lecture hall: one meeting of 1,000 socket.io students and a presenter. The
// presenter starts a poll; every student answers at a random moment within one second. Twice:
// a named poll, then an anonymous one (whose answers also record their voter apart, one more
// write each). Measured, on a real server with its own PostgreSQL and LiveKit:
//   - from the last answer sent to the presenter holding every answer (the live results);
//   - each answer's reply time (sent → acknowledged), median and 99th percentile;
//   - CPU of the server and of its PostgreSQL and LiveKit over the answering window;
//   - the tally: what the presenter received, and what a moderator joining afterwards reads in
//     the server's state, against what was sent.
// Prints figures; not a timed test. BENCH_CLIENTS changes the number of students.
import { createRequire } from 'node:module';
import { io } from 'socket.io-client';
import { cpuSeconds, inParallel, startBenchServer } from './bench-server.mjs';

const require = createRequire(import.meta.url);
const { PROTOCOL_VERSION, SOCKET } = require('@estrade/protocol');

const STUDENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const SPREAD_MS = 1000;
const GOAL_MS = 1000;
const OPTIONS = 4;
const now = () => performance.now();

const { base, post, stop, pid } = await startBenchServer({
  name: 'bench-polls',
  port: 3280,
  postgresPort: 54355,
  livekitPort: 7980,
  rtcPort: 7981,
  // A thousand joins from one address, within the minute.
  env: { JOIN_BURST: String(STUDENTS + 100) },
});
let stopped = false;
const stopOnce = () => (stopped ? Promise.resolve() : ((stopped = true), stop()));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stopOnce().finally(() => process.exit(130)));
const watchdog = setTimeout(() => {
  console.error('bench-polls: no result after 4 minutes, giving up');
  stopOnce().finally(() => process.exit(1));
}, 240_000);

const clients = [];
async function connect(session, onEvent = () => {}) {
  const socket = io(base, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token: session.sessionToken, protocol: PROTOCOL_VERSION },
  });
  clients.push(socket);
  socket.on(SOCKET.events, (batch) => batch.forEach(onEvent));
  const snapshot = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no snapshot within 20 s')), 20_000);
    socket.once(SOCKET.snapshot, (s) => (clearTimeout(t), resolve(s)));
    socket.once(SOCKET.fatal, (f) => (clearTimeout(t), reject(new Error(`${f.code}: ${f.message}`))));
  });
  return { socket, snapshot, session };
}
const send = (c, command) => c.socket.timeout(20_000).emitWithAck(SOCKET.command, command);

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x) => `${x.toFixed(0)} ms`;

// What the presenter received of the poll under way.
let current = null;
function onPresenterEvent(e) {
  if (current && e.event.type === 'poll.answered' && e.event.pollId === current.pollId) {
    current.received++;
    current.counts[e.event.choices[0]]++;
    current.lastReceivedAt = now();
  }
  if (e.event.type === 'poll.started' && current) current.pollId = e.event.pollId;
}

async function runPoll(room, teacher, students, anonymous) {
  current = { pollId: null, received: 0, counts: new Array(OPTIONS).fill(0), lastReceivedAt: 0 };
  const reply = await send(teacher, {
    type: 'poll.start',
    kind: 'letters',
    letters: OPTIONS,
    multiple: false,
    anonymous,
  });
  if (!reply.ok) throw new Error(`poll.start: ${reply.message}`);
  while (!current.pollId) await new Promise((r) => setTimeout(r, 5));
  const pollId = current.pollId;
  const sent = new Array(OPTIONS).fill(0);
  const replyMs = [];
  const refused = [];
  let lastSentAt = 0;
  const cpuBefore = cpuSeconds(pid);
  const t0 = now();
  await Promise.all(
    students.map(
      (s, i) =>
        new Promise((resolve) =>
          setTimeout(async () => {
            const choice = (i * 7) % OPTIONS;
            const command = { type: 'poll.answer', pollId, choices: [choice] };
            if (anonymous) command.receipt = `bench-receipt-${String(i).padStart(12, '0')}`;
            const at = now();
            lastSentAt = Math.max(lastSentAt, at);
            sent[choice]++;
            const r = await send(s, command);
            replyMs.push(now() - at);
            if (!r.ok) refused.push(r.message);
            resolve();
          }, Math.random() * SPREAD_MS),
        ),
    ),
  );
  const deadline = now() + 30_000;
  while (current.received < students.length - refused.length && now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  const cpuAfter = cpuSeconds(pid);
  const windowS = (now() - t0) / 1000;
  const moderator = await connect(
    await post(`/api/join/${room.moderatorCode}`, { name: 'Checker', audioMode: 'listen-only' }),
  );
  const poll = moderator.snapshot.state.polls.find((p) => p.id === pollId);
  const stateCounts = new Array(OPTIONS).fill(0);
  for (const a of poll.answers) stateCounts[a.choices[0]]++;
  moderator.socket.disconnect();
  await send(teacher, { type: 'poll.stop', pollId });
  const exact =
    refused.length === 0 &&
    current.received === students.length &&
    JSON.stringify(current.counts) === JSON.stringify(sent) &&
    JSON.stringify(stateCounts) === JSON.stringify(sent);
  const afterLast = current.lastReceivedAt - lastSentAt;
  console.log(
    [
      `  ${anonymous ? 'anonymous' : 'named'} poll, ${students.length} answers within ${SPREAD_MS / 1000} s:`,
      `    presenter holds every answer ${ms(afterLast)} after the last was sent (goal ≤ ${ms(GOAL_MS)}: ${afterLast <= GOAL_MS ? 'met' : 'not met'})`,
      `    reply time per answer: median ${ms(quantile(replyMs, 0.5))}, p99 ${ms(quantile(replyMs, 0.99))}, max ${ms(Math.max(...replyMs))}`,
      `    CPU over ${windowS.toFixed(1)} s: server ${(cpuAfter.own - cpuBefore.own).toFixed(2)} s, its PostgreSQL and LiveKit ${(cpuAfter.descendants - cpuBefore.descendants).toFixed(2)} s`,
      `    tally: sent ${sent.join('/')}, presenter received ${current.counts.join('/')}, server state ${stateCounts.join('/')}, refused ${refused.length}${refused.length ? ` (${refused[0]})` : ''}: ${exact ? 'exact' : 'NOT EXACT'}`,
    ].join('\n'),
  );
  return exact;
}

let ok = true;
try {
  const room = await post('/api/rooms', { name: 'Bench polls' });
  const teacher = await connect(
    await post(`/api/join/${room.moderatorCode}`, { name: 'Teacher', audioMode: 'listen-only' }),
    onPresenterEvent,
  );
  const joinStart = now();
  const students = await inParallel(Array.from({ length: STUDENTS }), 8, async (_, n) =>
    connect(await post(`/api/join/${room.viewerCode}`, { name: `Student ${n + 1}`, audioMode: 'listen-only' })),
  );
  console.log(`bench-polls: ${STUDENTS} students and a presenter in one meeting (joined in ${ms(now() - joinStart)})`);
  ok = (await runPoll(room, teacher, students, false)) && ok;
  ok = (await runPoll(room, teacher, students, true)) && ok;
} finally {
  clearTimeout(watchdog);
  for (const s of clients) s.disconnect();
  await stopOnce();
}
if (!ok) process.exitCode = 1;
