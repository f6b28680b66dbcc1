import { expect, test as base, type BrowserContext, type Locator, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { E2E_DATA_DIR, E2E_LIVEKIT_PORT } from './playwright.config';

/**
 * The test function of these specs, with a `person` fixture: each call opens a person's own
 * browser context (own camera, own session); all of them close when the test ends, so no camera
 * keeps the CPU busy during the next test.
 */
export const test = base.extend<{ person: () => Promise<Page> }>({
  person: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const ctx = await browser.newContext();
      contexts.push(ctx);
      return ctx.newPage();
    });
    for (const ctx of contexts) await ctx.close();
  },
});
export { expect };

export async function createRoom(page: Page, name: string) {
  await page.goto('/');
  await page.getByTestId('room-name-input').fill(name);
  await page.getByTestId('create-room').click();
  return {
    moderatorLink: await page.getByTestId('moderator-link').inputValue(),
    viewerLink: await page.getByTestId('viewer-link').inputValue(),
  };
}

/**
 * Joins from a link. Cameras start only by the person's choice: `camera` turns it on in the
 * preview before joining (or, for a listen-only student, who joins without one, right after).
 */
export async function join(
  page: Page,
  link: string,
  name: string,
  audio: 'microphone' | 'listen-only',
  { camera = false }: { camera?: boolean } = {},
) {
  await page.goto(link);
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId(audio === 'microphone' ? 'audio-microphone' : 'audio-listen-only').check();
  if (camera && audio === 'microphone') {
    await page.getByTestId('camera-preview-start').click();
    await expect(page.getByTestId('camera-preview')).toBeVisible();
  }
  await page.getByTestId('join').click();
  await page.waitForURL(/\/m\//);
  await expect(page.getByTestId('participant-list')).toContainText(name);
  if (camera && audio === 'listen-only') {
    await expect(page.getByTestId('toggle-camera')).toBeEnabled({ timeout: 20_000 });
    await page.getByTestId('toggle-camera').click();
  }
}

/** Chooses one of a participant's actions from the "⋯" menu of their row in the list. */
export async function participantAction(row: Locator, action: string) {
  await row.getByTestId('participant-actions').click();
  await row.getByTestId(action).click();
}

/** A file of the shared test documents (ESTRADE_CORPUS, ../shared/corpus, or the workplace's copy). */
export function corpusFile(name: string): string {
  const roots = [process.env.ESTRADE_CORPUS, path.resolve(__dirname, '../../shared/corpus'), '/work/shared/corpus'];
  const root = roots.find((r) => r && fs.existsSync(path.join(r, name)));
  if (!root) throw new Error(`test document ${name} not found (set ESTRADE_CORPUS)`);
  return path.join(root, name);
}

export const meetingIdOf = (page: Page) => new URL(page.url()).pathname.split('/')[2];

/** The participant ids shown in the list, with their role. */
export async function listedParticipants(page: Page) {
  return page
    .getByTestId('participant-list')
    .locator('li')
    .evaluateAll((lis) =>
      lis.map((li) => ({
        id: li.getAttribute('data-participant-id')!,
        role: li.getAttribute('data-role')!,
        text: li.textContent ?? '',
      })),
    );
}

/** Remote video from this participant is on the page and its frames advance. */
export async function expectVideoPlaying(page: Page, participantId: string) {
  const video = page.locator(`video[data-participant-id="${participantId}"]`);
  await expect(video).toBeVisible({ timeout: 30_000 });
  const frames = () => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
  const start = await frames();
  await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(start + 5);
}

/** At least `count` remote audio elements are playing (their clock advances). */
export async function expectAudioPlaying(page: Page, count: number) {
  const playing = () =>
    page
      .locator('audio')
      .evaluateAll(
        (els) =>
          (els as HTMLAudioElement[]).filter(
            (a) => !a.paused && a.currentTime > 0.5 && a.srcObject instanceof MediaStream,
          ).length,
      );
  await expect.poll(playing, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
}

/** The LiveKit server API, with the keys the e2e server generated in its data folder. */
export function livekitApi() {
  const secrets = JSON.parse(fs.readFileSync(path.join(E2E_DATA_DIR!, 'secrets.json'), 'utf8'));
  return new RoomServiceClient(`http://127.0.0.1:${E2E_LIVEKIT_PORT}`, secrets.livekitApiKey, secrets.livekitApiSecret);
}
