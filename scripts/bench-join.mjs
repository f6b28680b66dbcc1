#!/usr/bin/env node
// Join time: from opening a student link to a teacher's camera playing on the student's page,
// on loopback, through the real UI, server, PostgreSQL and LiveKit. Prints the median of RUNS.
import { chromium } from 'playwright-core';
import chromiumArgs from '../e2e/chromium-args.json' with { type: 'json' };
import { startBenchServer } from './bench-server.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const { base, stop } = await startBenchServer({
  name: 'bench-join',
  port: 3250,
  postgresPort: 54341,
  livekitPort: 7950,
  rtcPort: 7951,
});

try {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
  });
  const room = await (
    await fetch(`${base}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Bench"}',
    })
  ).json();
  const teacherPage = await (await browser.newContext({ baseURL: base })).newPage();
  await teacherPage.goto(`/j/${room.moderatorCode}`);
  await teacherPage.getByTestId('name-input').fill('Teacher');
  await teacherPage.getByTestId('join').click();
  await teacherPage.locator('video').first().waitFor({ timeout: 30_000 });

  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const ctx = await browser.newContext({ baseURL: base, permissions: ['camera', 'microphone'] });
    const page = await ctx.newPage();
    const t0 = performance.now();
    await page.goto(`/j/${room.viewerCode}`);
    await page.getByTestId('name-input').fill(`Student ${run}`);
    await page.getByTestId('join').click();
    // Remote video playing: a video element other than our own has decoded frames.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('video')].some(
          (v) =>
            !v.closest('[data-participant-id]')?.textContent?.includes('Student') &&
            v.getVideoPlaybackQuality().totalVideoFrames > 0,
        ),
      undefined,
      { timeout: 30_000, polling: 10 },
    );
    times.push(performance.now() - t0);
    await page.getByTestId('leave').click();
    await ctx.close();
  }
  await browser.close();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`join time (student link opened -> teacher's video playing), ${RUNS} runs on loopback:`);
  console.log(`  median ${median.toFixed(0)} ms   min ${times[0].toFixed(0)} ms   max ${times.at(-1).toFixed(0)} ms`);
} finally {
  await stop();
}
