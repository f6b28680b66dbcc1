import type { Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, SOCKET } from '@estrade/protocol';
import { corpusFile, createRoom, expect, join, test } from './kit';

/** The page a participant sees: which page, drawn, at which zoom, and whether it has ink on it. */
async function seen(page: Page) {
  const canvas = page.getByTestId('slide-page');
  await expect(canvas).toHaveAttribute('data-rendered', 'yes', { timeout: 30_000 });
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 16) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
    return { page: Number(c.dataset.page), zoom: Number(c.dataset.zoom), fit: c.dataset.fit, ink };
  });
}

test('the presenter uploads a PowerPoint and a PDF and presents; students follow, a late joiner lands on the same page', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'SVT 2nde B');
  // File URLs wait for the files token: no request without it, no 401, while the teacher joins.
  const fileRequests: { url: string; status: number }[] = [];
  teacher.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/presentations'))
      fileRequests.push({ url: r.url(), status: r.status() });
  });
  await join(teacher, moderatorLink, 'Mme Dubois', 'listen-only');
  await expect(teacher.getByTestId('thumbnail-1').locator('img')).toBeVisible({ timeout: 30_000 });
  await expect(teacher.getByTestId('slide-page')).toHaveAttribute('data-rendered', 'yes', { timeout: 30_000 });
  expect(fileRequests.length).toBeGreaterThan(0);
  expect(fileRequests.filter((r) => new URL(r.url).searchParams.get('access') === '')).toEqual([]);
  expect(fileRequests.filter((r) => r.status === 401)).toEqual([]);
  await join(student, viewerLink, 'Hugo', 'listen-only');

  // Every meeting opens on the welcome page, with the room's name.
  await expect(student.getByTestId('welcome-room-name')).toHaveText('SVT 2nde B');
  expect((await seen(student)).page).toBe(1);
  await expect(student.getByTestId('upload-button')).toHaveCount(0);

  // Two files at once: each shows its progress, the PowerPoint while LibreOffice converts it.
  await teacher
    .getByTestId('upload-input')
    .setInputFiles([corpusFile('documents/cht-chart-type.pptx'), corpusFile('documents/tracemonkey.pdf')]);
  await expect(teacher.getByTestId('upload-item')).toHaveCount(2);
  await expect(teacher.getByTestId('upload-item').first()).toHaveAttribute('data-phase', /sending|converting/);
  await expect(teacher.locator('[data-testid="upload-item"][data-phase="converting"]')).toBeVisible();
  await expect(teacher.locator('[data-testid="upload-item"][data-phase="done"]')).toHaveCount(2, { timeout: 60_000 });

  // The PDF, uploaded last, is on screen for everyone, page 1, drawn.
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 1 of 14');
  const first = await seen(student);
  expect(first.page).toBe(1);
  expect(first.ink).toBeGreaterThan(100);

  // The presenter's keyboard turns pages; the toolbar and the thumbnails too.
  await teacher.getByTestId('slide-page').click();
  await teacher.keyboard.press('ArrowRight');
  await teacher.keyboard.press('ArrowRight');
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 3 of 14');
  await teacher.keyboard.press('ArrowLeft');
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 2 of 14');
  await teacher.getByTestId('slide-next').click();
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 3 of 14');
  await expect(teacher.getByTestId('thumbnail-5').locator('img')).toBeVisible({ timeout: 30_000 });
  await teacher.getByTestId('thumbnail-5').click();
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 5 of 14');
  expect((await seen(student)).page).toBe(5);

  // Zoom and fit: the student's view follows.
  await teacher.getByTestId('zoom-in').click();
  await expect(teacher.getByTestId('zoom-level')).toHaveText('125 %');
  await teacher.getByTestId('zoom-in').click();
  await expect.poll(async () => (await seen(student)).zoom).toBeCloseTo(1.5625, 2);
  await teacher.getByTestId('fit-width').click();
  await expect.poll(async () => (await seen(student)).fit).toBe('width');
  await teacher.getByTestId('zoom-in').click();

  // A late joiner lands on page 5, at the presenter's zoom.
  const late = await person();
  await join(late, viewerLink, 'Camille', 'listen-only');
  await expect(late.getByTestId('slide-page-number')).toHaveText('Page 5 of 14');
  const view = await seen(late);
  expect(view).toMatchObject({ page: 5, fit: 'width', zoom: 1.25 });
  expect(view.ink).toBeGreaterThan(100);

  // Back to the PowerPoint: converted by LibreOffice, eight slides.
  const deck = teacher.getByTestId('presentation-select');
  await deck.selectOption({ label: 'cht-chart-type.pptx' });
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 1 of 8');
  await expect(student.getByTestId('presentation-name')).toHaveText('cht-chart-type.pptx');
  expect((await seen(student)).ink).toBeGreaterThan(100);
});

test('a file over the limit or of the wrong kind gets a clear message; downloads follow the presenter’s choice', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Anglais');
  await join(teacher, moderatorLink, 'Mr Smith', 'listen-only');
  await join(student, viewerLink, 'Jade', 'listen-only');

  await teacher.getByTestId('upload-input').setInputFiles({
    name: 'notes.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<script>alert(1)</script>'),
  });
  await expect(teacher.getByTestId('upload-error')).toContainText('cannot be presented');

  await teacher.getByTestId('upload-input').setInputFiles(corpusFile('documents/sizes.pdf'));
  await expect(student.getByTestId('slide-page-number')).toHaveText('Page 1 of 3');
  await expect(student.getByTestId('download-original')).toHaveCount(0);
  await teacher.getByTestId('presentation-menu').click();
  // A switch of the menu: it shows the meeting's state, so it is checked once the server agrees.
  await teacher.getByTestId('toggle-downloadable').click();
  await expect(teacher.getByTestId('toggle-downloadable')).toBeChecked();
  await expect(student.getByTestId('download-original')).toBeVisible();
  const download = student.waitForEvent('download');
  await student.getByTestId('download-original').click();
  expect((await download).suggestedFilename()).toBe('sizes.pdf');
});

test('the presenter drags a zoomed page for 3 s: students follow it live, and only the end of the drag is logged', async ({
  person,
  baseURL,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Géographie 5e');
  await join(teacher, moderatorLink, 'M. Lefèvre', 'listen-only');
  await join(student, viewerLink, 'Zoé', 'listen-only');

  // A third participant that is a bare socket.io client: it counts what the log delivers.
  const code = new URL(viewerLink).pathname.split('/').at(-1)!;
  const joined = await (
    await fetch(`${baseURL}/api/join/${code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Observateur', audioMode: 'listen-only' }),
    })
  ).json();
  const observer = io(baseURL!, {
    transports: ['websocket'],
    auth: { token: joined.sessionToken, protocol: PROTOCOL_VERSION },
  });
  const logged: string[] = [];
  observer.on(SOCKET.events, (batch: { event: { type: string } }[]) => batch.forEach((e) => logged.push(e.event.type)));
  await new Promise<void>((resolve) => observer.once(SOCKET.snapshot, () => resolve()));

  try {
    await teacher.getByTestId('zoom-in').click();
    await teacher.getByTestId('zoom-in').click();
    await expect.poll(async () => (await seen(student)).zoom).toBeCloseTo(1.5625, 2);
    await expect.poll(() => logged.filter((t) => t === 'slide.viewport-changed').length).toBe(2);

    // The part of the page in view, as fractions of the page: the same on every screen size.
    const place = (page: Page) =>
      page.getByTestId('slide-page').evaluate((c: HTMLCanvasElement) => `${c.dataset.x} ${c.dataset.y}`);
    const box = (await teacher.getByTestId('slide-page').locator('..').locator('..').boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await teacher.mouse.move(from.x, from.y);
    await teacher.mouse.down();
    const followed = new Set<string>();
    const started = Date.now();
    for (let i = 1; Date.now() - started < 3_000; i++) {
      await teacher.mouse.move(from.x - (i % 60) * 3, from.y - (i % 60) * 2);
      await teacher.waitForTimeout(100);
      followed.add(await place(student));
    }
    await teacher.mouse.up();

    // The student's page moved with the drag, through many positions, before its end was logged.
    expect(followed.size).toBeGreaterThan(5);
    await expect.poll(() => logged.filter((t) => t === 'slide.viewport-changed').length).toBe(3);
    await expect.poll(() => place(student)).toBe(await place(teacher));
    await teacher.waitForTimeout(500);
    expect(logged.filter((t) => t === 'slide.viewport-changed')).toHaveLength(3);
  } finally {
    observer.close();
  }
});
