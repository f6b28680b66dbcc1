import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { TrackSource } from 'livekit-server-sdk';
import { createRoom, join, listedParticipants, livekitApi, meetingIdOf, expect, test } from './kit';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const SCREENS = path.join(__dirname, '../test-results/screens');

/** Nothing on the page is wider than the screen: no sideways scrolling on a phone. */
async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Screenshots of a page in both sizes and both themes, kept as test artefacts to look at. */
async function screens(page: Page, name: string) {
  fs.mkdirSync(SCREENS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: path.join(SCREENS, `${name}-${size}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: null });
}

test('the home page keeps the rooms created in this browser, with both links and a QR code', async ({ person }) => {
  const teacher = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Maths 4e B');
  await expect(teacher.getByTestId('viewer-qr')).toBeVisible();
  await screens(teacher, 'home-created');
  await createRoom(teacher, 'SVT 3e A');

  await teacher.reload();
  const kept = teacher.getByTestId('kept-room');
  await expect(kept).toHaveCount(2);
  // The newest first.
  await expect(kept.first()).toContainText('SVT 3e A');
  const maths = kept.filter({ hasText: 'Maths 4e B' });
  await expect(maths.getByTestId('kept-moderator-link')).toHaveValue(moderatorLink);
  await expect(maths.getByTestId('kept-viewer-link')).toHaveValue(viewerLink);
  const qr = maths.getByTestId('kept-viewer-qr');
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(qr).toHaveAttribute('alt', /Maths 4e B/);
  await screens(teacher, 'home');

  // Forgotten, it stays forgotten.
  teacher.once('dialog', (d) => void d.accept());
  await maths.getByTestId('forget-room').click();
  await expect(kept).toHaveCount(1);
  await teacher.reload();
  await expect(teacher.getByTestId('kept-room')).toHaveCount(1);
  await expect(teacher.getByTestId('kept-room')).toContainText('SVT 3e A');
});

test('the camera starts only when the person turns it on; joining with it off publishes no camera', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Histoire');
  await join(teacher, moderatorLink, 'Mme Roux', 'microphone', { camera: true });

  await student.goto(viewerLink);
  await student.getByTestId('name-input').fill('Nina');
  await expect(student.getByTestId('camera-check')).toBeVisible();
  await expect(student.getByTestId('camera-preview')).toHaveCount(0);
  await student.getByTestId('camera-preview-start').click();
  const preview = student.getByTestId('camera-preview');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await expect(student.getByTestId('camera-device').locator('option')).not.toHaveCount(0);
  await screens(student, 'join');
  // She changes her mind: off again, and the preview's camera is released.
  await student.getByTestId('camera-preview-stop').click();
  await expect(student.getByTestId('camera-preview')).toHaveCount(0);
  // Listen only offers no camera at all.
  await student.getByTestId('audio-listen-only').check();
  await expect(student.getByTestId('camera-check')).toHaveCount(0);
  await expect(student.getByTestId('camera-listen-only')).toBeVisible();
  await student.getByTestId('audio-microphone').check();
  await student.getByTestId('join').click();
  await student.waitForURL(/\/m\//);
  await expect(student.getByTestId('participant-list')).toContainText('Nina');

  const listed = await listedParticipants(student);
  const nina = listed.find((p) => p.text.includes('Nina'))!.id;
  const roux = listed.find((p) => p.text.includes('Mme Roux'))!.id;
  const lk = livekitApi();
  const tracksOf = async (identity: string, source: TrackSource) =>
    (await lk.listParticipants(meetingIdOf(student)))
      .find((p) => p.identity === identity)
      ?.tracks.filter((t) => t.source === source).length ?? -1;
  // Her microphone is published, so she is fully in; her camera is not, the teacher's is.
  await expect.poll(() => tracksOf(nina, TrackSource.MICROPHONE), { timeout: 20_000 }).toBe(1);
  await expect.poll(() => tracksOf(roux, TrackSource.CAMERA), { timeout: 20_000 }).toBe(1);
  expect(await tracksOf(nina, TrackSource.CAMERA)).toBe(0);
  await expect(student.locator(`video[data-participant-id="${nina}"]`)).toHaveCount(0);
});

test('the web app is installable: a manifest with icons, a service worker and an offline page', async ({ page }) => {
  const res = await page.request.get('/manifest.webmanifest');
  expect(res.ok()).toBe(true);
  const manifest = await res.json();
  expect(manifest).toMatchObject({ short_name: 'Estrade', start_url: '/', display: 'standalone' });
  expect(manifest.theme_color).toMatch(/^#/);
  const sizes = (manifest.icons as { sizes: string; src: string }[]).map((i) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons as { src: string }[]) expect((await page.request.get(icon.src)).ok()).toBe(true);

  await page.goto('/');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest\.webmanifest$/);
  // The worker installs and takes the page, then the offline page is what a dead network shows.
  await expect
    .poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), { timeout: 15_000 })
    .toBe(true);
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await page.context().setOffline(true);
  await page.goto('/j/SOMECODE').catch(() => undefined);
  await expect(page.getByTestId('offline')).toContainText('The network is down');
  await expect(page.getByTestId('offline')).toContainText('Le réseau est coupé');
  await page.context().setOffline(false);
});

test('home, join and end pages fit a phone without sideways scrolling', async ({ person }) => {
  const page = await person();
  await page.setViewportSize(PHONE);
  const { viewerLink, moderatorLink } = await createRoom(
    page,
    'Une classe au nom vraiment très long pour un téléphone',
  );
  await expectNoHorizontalOverflow(page);
  await page.reload();
  await expect(page.getByTestId('kept-room')).toHaveCount(1);
  await expectNoHorizontalOverflow(page);

  await page.goto(viewerLink);
  await expect(page.getByTestId('join-title')).toBeVisible();
  await page.getByTestId('camera-preview-start').click();
  await expect(page.getByTestId('camera-preview')).toBeVisible();
  await page.getByTestId('mic-check-start').click();
  await expect(page.getByTestId('mic-level')).toBeVisible();
  await expectNoHorizontalOverflow(page);

  await join(page, moderatorLink, 'Mme Lambert', 'listen-only');
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('bye')).toHaveAttribute('data-reason', 'left');
  await expectNoHorizontalOverflow(page);
  await screens(page, 'end');
  for (const reason of ['ended', 'removed', 'expired']) {
    await page.goto(`/bye/${reason}`);
    await expect(page.getByTestId('bye')).toHaveAttribute('data-reason', reason);
    await expectNoHorizontalOverflow(page);
  }
  await page.goto('/no/such/page');
  await expect(page.getByTestId('error-page')).toHaveAttribute('data-status', '404');
  await expectNoHorizontalOverflow(page);
  await screens(page, 'error');
});
