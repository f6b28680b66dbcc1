import type { Page } from '@playwright/test';
import { createRoom, expect, join, test } from './kit';

/** This browser's clock is `skewMs` off: Date and Date.now both say so. */
async function skewClock(page: Page, skewMs: number) {
  await page.context().addInitScript({
    content: `{
      const realNow = Date.now.bind(Date);
      const Real = Date;
      const skew = ${skewMs};
      window.Date = class extends Real {
        constructor(...args) { if (args.length === 0) super(realNow() + skew); else super(...args); }
        static now() { return realNow() + skew; }
      };
    }`,
  });
}

const seconds = (text: string) => {
  const [m, s] = text.split(':').map(Number);
  return m * 60 + s;
};

test('a 1-minute countdown shows the same second on two pages whose clocks are minutes apart; pause, reset, remove', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  await skewClock(teacher, -3 * 60_000);
  await skewClock(student, 7 * 60_000 + 420);
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Histoire 3e');
  await join(teacher, moderatorLink, 'M. Girard', 'listen-only');
  await join(student, viewerLink, 'Lou', 'listen-only');
  // The two computers' clocks are 10 minutes apart.
  const [tNow, sNow] = await Promise.all([
    teacher.evaluate(() => Date.now()),
    student.evaluate(() => new Date().getTime()),
  ]);
  expect(Math.abs(sNow - tNow - 10 * 60_000 - 420)).toBeLessThan(2000);

  // A student has no timer controls.
  await expect(student.getByTestId('timer-menu')).toHaveCount(0);
  await teacher.getByTestId('timer-menu').click();
  await teacher.getByTestId('timer-preset-1').click();
  await expect(student.getByTestId('class-timer')).toBeVisible();
  await student.screenshot({ path: test.info().outputPath('student-timer.png') });

  // Read both within a few milliseconds, several times: the same second (or its neighbour at a tick).
  for (let i = 0; i < 4; i++) {
    const [a, b] = await Promise.all([
      teacher.getByTestId('class-timer-text').textContent(),
      student.getByTestId('class-timer-text').textContent(),
    ]);
    expect(seconds(a!)).toBeGreaterThan(45);
    expect(seconds(a!)).toBeLessThanOrEqual(60);
    expect(Math.abs(seconds(a!) - seconds(b!))).toBeLessThanOrEqual(1);
    await teacher.waitForTimeout(700);
  }

  // Paused: both show exactly the same time, and it stays.
  await teacher.getByTestId('timer-menu').click();
  await teacher.getByTestId('timer-pause').click();
  await teacher.waitForTimeout(1500);
  const paused = await teacher.getByTestId('class-timer-text').textContent();
  await expect(student.getByTestId('class-timer-text')).toHaveText(paused!);
  await student.waitForTimeout(1200);
  await expect(student.getByTestId('class-timer-text')).toHaveText(paused!);

  await teacher.getByTestId('timer-menu').click();
  await teacher.getByTestId('timer-reset').click();
  await expect(student.getByTestId('class-timer-text')).toHaveText('01:00');
  // Each person may mute the ring for themselves.
  await student.getByTestId('timer-mute').click();
  await expect(student.getByTestId('timer-mute')).toHaveAttribute('aria-pressed', 'true');
  await teacher.getByTestId('timer-menu').click();
  await teacher.getByTestId('timer-clear').click();
  await expect(student.getByTestId('class-timer')).toHaveCount(0);
});

test('a short countdown ends for everyone at the same moment, by the server', async ({ person }) => {
  const teacher = await person();
  const student = await person();
  await skewClock(student, -5 * 60_000);
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Chimie');
  await join(teacher, moderatorLink, 'Mme Faure', 'listen-only');
  await join(student, viewerLink, 'Yanis', 'listen-only');
  await teacher.getByTestId('timer-menu').click();
  teacher.once('dialog', (d) => void d.accept('0.05')); // 3 seconds
  await teacher.getByTestId('timer-custom').click();
  await expect(student.getByTestId('class-timer')).toBeVisible();
  await expect(student.getByTestId('class-timer')).toHaveAttribute('data-over', 'true', { timeout: 8000 });
  await expect(teacher.getByTestId('class-timer')).toHaveAttribute('data-over', 'true');
  await expect(student.getByTestId('class-timer-text')).toHaveText('00:00');
});
