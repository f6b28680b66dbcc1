import { readFileSync } from 'node:fs';
import { HTTP_RATES, type HttpRateKind } from './http-rates';
import { liveClassroom, type TestClient } from '../testing/classroom-kit';
import { corpusFile, filesAccess, upload } from '../testing/slides-kit';

// Behind a trusted proxy (loopback), so each client names its address in X-Forwarded-For; the
// per-address allowances are a fifth of the defaults, so floods from one address are short.
const SCALE = 0.2;

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
  doneAt: number;
}

async function request(url: string, from: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, headers: { ...init.headers, 'x-forwarded-for': from } });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await res.json()) as { code?: string }) : (await res.arrayBuffer(), {});
  return { status: res.status, code: body.code, retryAfter: res.headers.get('retry-after'), doneAt: Date.now() };
}

/** `n` requests, `lanes` at a time (as a misbehaving script would); the answers and how long it took. */
async function flood(n: number, send: (i: number) => Promise<Answer>, lanes = 50) {
  const started = Date.now();
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < n) answers.push(await send(next++));
    }),
  );
  const refused = answers.filter((a) => a.status === 429);
  return { answers, served: answers.length - refused.length, refused, ms: Date.now() - started };
}

/** The most a bucket lets through in `ms`: its burst plus what refills meanwhile. */
const allowance = ({ burst, everyMs }: { burst: number; everyMs: number }, ms: number) =>
  burst + Math.ceil(ms / everyMs);
const participantRate = (kind: HttpRateKind) =>
  (HTTP_RATES[kind] as { participant: { burst: number; everyMs: number } }).participant;
const addressRate = (kind: HttpRateKind) => ({
  burst: Math.round(HTTP_RATES[kind].address.burst * SCALE),
  everyMs: HTTP_RATES[kind].address.everyMs / SCALE,
});

/** Every refusal is a clear `too_fast` (429) that says when to come back. */
function expectTooFast(refused: Answer[]) {
  expect(refused.length).toBeGreaterThan(0);
  for (const a of refused) {
    expect(a.code).toBe('too_fast');
    expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
  }
}

describe('every HTTP route is rate-limited, per participant and per address', () => {
  const { server, classroom } = liveClassroom({ TRUST_PROXY: 'loopback', HTTP_ADDRESS_SCALE: String(SCALE) });
  let teacher: TestClient;
  let viewerCode: string;
  let students = 0;
  /** A participant of its own for each test: allowances spent by one test do not carry over. */
  const newStudent = () => classroom.join(viewerCode, `Élève ${++students}`);
  let deck: { id: string; fileId: string };
  const token = async (c: TestClient) => encodeURIComponent((await filesAccess(c)).access);
  const file = (rest: string, access: string) =>
    `${server.url}/api/presentations/${deck.fileId}/${rest}?access=${access}`;

  beforeAll(async () => {
    const { room, ...people } = await classroom.withTeacherAndStudent();
    [teacher, viewerCode] = [people.teacher, room.viewerCode];
    const res = await upload(teacher, readFileSync(corpusFile('documents/tracemonkey.pdf')), 'TraceMonkey.pdf');
    expect(res.status).toBe(201);
    deck = { id: res.json.presentationId!, fileId: res.json.fileId! };
    await teacher.waitForEvent(
      (e) => e.event.type === 'presentation.processed' && e.event.fileId === deck.fileId,
      60_000,
    );
    const allow = { type: 'presentation.set-downloadable', presentationId: deck.id, downloadable: true };
    expect(await teacher.send(allow)).toEqual({ ok: true });
    const drawn = {
      id: 'rect-page-2',
      kind: 'rectangle',
      points: [
        [100, 150],
        [300, 250],
      ],
      colour: '#e03131',
      size: 4,
      fill: true,
    };
    expect(await teacher.send({ type: 'annotation.add', presentationId: deck.id, page: 2, shapes: [drawn] })).toEqual({
      ok: true,
    });
  });

  it('cuts a flood of thumbnails by one participant, and serves the others at once', async () => {
    const [mine, theirs] = [await token(await newStudent()), await token(teacher)];
    const r = await flood(700, (i) => request(file(`thumbnails/${(i % 14) + 1}`, mine), '10.0.1.1'));
    expect(r.served).toBeGreaterThanOrEqual(participantRate('read').burst);
    expect(r.served).toBeLessThanOrEqual(allowance(participantRate('read'), r.ms));
    expect(r.answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
    expectTooFast(r.refused);
    // The same participant from elsewhere gets only what refilled since: the allowance is theirs
    // (a fresh one would serve all 200 at once).
    const spentAt = Date.now();
    const again = await flood(200, () => request(file('thumbnails/1', mine), '10.0.1.2'));
    expect(again.served).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - spentAt) / participantRate('read').everyMs));
    expectTooFast(again.refused);
    // Someone else is not slowed by it, behind the same router or not.
    for (const from of ['10.0.1.1', '10.0.1.3']) {
      expect((await request(file('thumbnails/1', theirs), from)).status).toBe(200);
      expect((await request(file('document.pdf', theirs), from)).status).toBe(200);
      expect((await request(file('text', theirs), from)).status).toBe(200);
    }
  });

  it('cuts a flood of downloads and of notes as text', async () => {
    const [mine, theirs] = [await token(await newStudent()), await token(teacher)];
    for (const [i, url] of [file('download/pdf', mine), `${server.url}/api/notes/notes.txt?access=${mine}`].entries()) {
      const from = `10.0.2.${i + 1}`;
      const r = await flood(40, () => request(url, from), 10);
      expect(r.served).toBeLessThanOrEqual(allowance(participantRate('download'), r.ms) * (i + 1));
      expectTooFast(r.refused);
      expect((await request(file('download/original', theirs), from)).status).toBe(200);
    }
  });

  it('runs a flood of annotated PDFs one after the other, refuses beyond a few, and never delays anyone else', async () => {
    const [mine, theirs] = [await token(await newStudent()), await token(teacher)];
    const url = (access: string) => `${file('download/annotated', access)}&presentation=${deck.id}`;
    const started = Date.now();
    const flooding = flood(20, () => request(url(mine), '10.0.3.1'), 20);
    await new Promise((r) => setTimeout(r, 50));
    const other = await request(url(theirs), '10.0.3.2');
    const r = await flooding;
    expect(other.status).toBe(200);
    const made = r.answers.filter((a) => a.status === 200);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThanOrEqual(participantRate('export').burst);
    expect(r.answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
    for (const a of r.refused) expect(a.code).toBe('too_fast');
    // The flooder's exports wait in a line of their own: the other participant's was made
    // before the flooder's last one, not after all of them.
    expect(other.doneAt).toBeLessThan(Math.max(...made.map((a) => a.doneAt)));
    expect(other.doneAt - started).toBeLessThan(10_000);
  });

  it('cuts a flood of notes exported as PDF, and serves the others at once', async () => {
    const [mine, theirs] = [await token(await newStudent()), await token(teacher)];
    const r = await flood(20, () => request(`${server.url}/api/notes/notes.pdf?access=${mine}`, '10.0.4.1'), 20);
    expect(r.served).toBeGreaterThanOrEqual(1);
    expect(r.served).toBeLessThanOrEqual(participantRate('export').burst);
    expect(r.answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
    for (const a of r.refused) expect(a.code).toBe('too_fast');
    expect((await request(`${server.url}/api/notes/notes.pdf?access=${theirs}`, '10.0.4.1')).status).toBe(200);
  });

  it('cuts a flood of uploads, and another moderator still uploads', async () => {
    const mine = await token(teacher);
    const put = (from: string) =>
      request(`${server.url}/api/presentations?name=x.pdf&access=${mine}`, from, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: 'not a document',
      });
    const r = await flood(70, () => put('10.0.5.1'), 10);
    expect(r.served).toBeLessThanOrEqual(allowance(participantRate('upload'), r.ms));
    // Junk is taken as an upload (it fails in processing): what matters is that the flood is cut.
    expect(r.answers.filter((a) => a.status >= 500)).toEqual([]);
    expectTooFast(r.refused);
    const other = await classroom.join((await classroom.createRoom('Autre salle')).moderatorCode, 'M. Dupont');
    const theirs = await token(other);
    const res = await request(`${server.url}/api/presentations?name=x.pdf&access=${theirs}`, '10.0.5.1', {
      method: 'PUT',
      body: 'not a document',
    });
    expect(res.status).not.toBe(429);
  });

  it('cuts a flood from one address, whatever token it carries, and serves other addresses', async () => {
    const bogus = 'forged.token';
    let n = 0;
    const floods: { kind: HttpRateKind; send: (from: string) => Promise<Answer> }[] = [
      { kind: 'download', send: (from) => request(file('download/pdf', bogus), from) },
      { kind: 'read', send: (from) => request(file('thumbnails/1', bogus), from) },
      {
        kind: 'export',
        send: (from) => request(`${server.url}/api/notes/presentation?access=${bogus}`, from, { method: 'POST' }),
      },
      {
        kind: 'upload',
        send: (from) => request(`${server.url}/api/presentations?name=x.pdf`, from, { method: 'PUT', body: 'x' }),
      },
      { kind: 'health', send: (from) => request(`${server.url}/api/health`, from) },
      { kind: 'web', send: (from) => request(`${server.url}/j/${'A'.repeat(22)}`, from) },
      {
        kind: 'webhook',
        send: (from) => request(`${server.url}/api/livekit/webhook`, from, { method: 'POST', body: '{}' }),
      },
      // Waiting pages are limited per ticket too: a made-up ticket each time, as a flood would.
      { kind: 'api', send: (from) => request(`${server.url}/api/waiting/${String(++n).padStart(43, 'w')}`, from) },
    ];
    for (const [i, { kind, send }] of floods.entries()) {
      const rate = addressRate(kind);
      // A quarter beyond the burst: more than refills while the flood is sent.
      const r = await flood(Math.ceil(rate.burst * 1.25) + 20, () => send(`10.0.6.${i + 1}`));
      // Another address is answered as usual, and the flood was answered so until its allowance ran out.
      const usual = (await send(`10.0.7.${i + 1}`)).status;
      expect({ kind, usual }).not.toEqual({ kind, usual: 429 });
      expect({ kind, served: r.served >= rate.burst }).toEqual({ kind, served: true });
      expect({ kind, served: r.served <= allowance(rate, r.ms) }).toEqual({ kind, served: true });
      expect(r.answers.filter((a) => a.status !== 429).every((a) => a.status === usual)).toBe(true);
      expectTooFast(r.refused);
    }
  });
});
