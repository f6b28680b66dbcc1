import { execFile } from 'node:child_process';
import { liveClassroom } from '../testing/classroom-kit';
import { healthProbe } from '../testing/health-probe';

// Runs alone (the `integration-alone` project, after the parallel tier): what it measures is how
// quickly the server answers during a flood, and a second test worker sharing the two cores would
// be measured with it.

/**
 * Wrong passwords sent over `lanes` connections, each guessing as soon as it has its answer,
 * then the right one: from a Node process of its own, as the health probe. This test process
 * only waits meanwhile: on two cores its own work (a garbage collection of a heap grown by the
 * other tests) would otherwise be measured as the server's.
 */
function guessFlood(
  url: string,
  code: string,
  lanes: number,
  each: number,
  right: string,
): Promise<{
  guesses: { status: number; code: string }[];
  right: { status: number; message: string };
  ms: number;
}> {
  const join = JSON.stringify(`${url}/api/join/${code}`);
  const script = `
    const post = (password) => fetch(${join}, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Intrus', audioMode: 'listen-only', password }),
    }).then(async (res) => ({ status: res.status, ...(await res.json()) }));
    (async () => {
      const started = performance.now();
      const lanes = await Promise.all(Array.from({ length: ${lanes} }, async (_, lane) => {
        const out = [];
        for (let i = 0; i < ${each}; i++) out.push(await post('essai ' + lane + '-' + i));
        return out;
      }));
      const ms = performance.now() - started;
      const right = await post(${JSON.stringify(right)});
      process.stdout.write(JSON.stringify({ guesses: lanes.flat(), right, ms }));
    })();`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout)))),
  );
}

describe('room passwords', () => {
  // What is measured is the flood's effect on answering: without the resident LibreOffice, whose
  // warm-up at start-up (a few seconds of CPU on this 2-core machine) would be measured instead.
  const { server } = liveClassroom({ CONVERSION_RESIDENT: 'false' });

  it('slows and refuses 50 wrong guesses while the server keeps answering quickly', async () => {
    const res = await server.http('POST', '/api/rooms', { name: 'Chimie', password: 'bonne réponse' });
    expect(res.status).toBe(201);
    const code = res.json.viewerCode as string;

    const probe = healthProbe(server.url, 3000);
    await new Promise((r) => setTimeout(r, 300));
    // Five connections guessing as fast as the answers come, then the right password at once.
    const { guesses, right: early, ms } = await guessFlood(server.url, code, 5, 10, 'bonne réponse');
    const health = await probe;

    const codes = guesses.map((g) => g.code);
    expect(codes.every((c) => c === 'wrong_password' || c === 'too_fast')).toBe(true);
    // Five mistakes are checked; every other guess is refused without hashing. Past the five,
    // each check waits a doubling delay (1 s, 2 s, 4 s…) from the last mistake: a flood that a
    // busy machine slowed down past them may earn one more check per delay, never more.
    const delaysOutlasted = Math.floor(Math.log2(ms / 1000 + 1));
    const checked = codes.filter((c) => c === 'wrong_password').length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(5 + delaysOutlasted);
    expect(guesses.filter((g) => g.code === 'too_fast').every((g) => g.status === 429)).toBe(true);
    expect(health.length).toBeGreaterThan(20);
    expect(Math.max(...health)).toBeLessThan(100);

    // Even the right password waits out the delay.
    expect(early.status).toBe(429);
    expect(early.message).toMatch(/try again in \d+ s/);
    // Then, once the wait it was told is over, it gets in.
    const told = Number(/try again in (\d+) s/.exec(early.message)![1]);
    await new Promise((r) => setTimeout(r, told * 1000));
    const right = await server.http('POST', `/api/join/${code}`, {
      name: 'Élève',
      audioMode: 'listen-only',
      password: 'bonne réponse',
    });
    expect(right.status).toBe(200);
  });
});
