import type { Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, SOCKET, type MeetingState } from '@estrade/protocol';
import { createRoom, expect, join, test } from './kit';

/** The page's drawing layer, once the page is drawn. */
async function board(page: Page) {
  await expect(page.getByTestId('slide-page')).toHaveAttribute('data-rendered', 'yes', { timeout: 30_000 });
  return page.getByTestId('annotations');
}

/** Where each annotation is, as fractions of the page (so screens of any size compare). */
async function placed(page: Page) {
  return page.getByTestId('annotations').evaluate((svg: SVGSVGElement) => {
    const page = svg.getBoundingClientRect();
    return Object.fromEntries(
      [...svg.querySelectorAll('[data-testid="annotation"]')].map((el) => {
        const r = el.getBoundingClientRect();
        const f = (n: number) => Math.round(n * 100) / 100;
        return [
          (el as SVGElement).dataset.id!,
          {
            kind: (el as SVGElement).dataset.kind,
            left: f((r.left - page.left) / page.width),
            top: f((r.top - page.top) / page.height),
            right: f((r.right - page.left) / page.width),
            bottom: f((r.bottom - page.top) / page.height),
          },
        ];
      }),
    );
  });
}

/** A point of the page, as fractions of its width and height, in screen pixels. */
async function at(page: Page, fx: number, fy: number) {
  const box = (await page.getByTestId('annotations').boundingBox())!;
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function drag(page: Page, from: [number, number], to: [number, number], steps = 8) {
  const a = await at(page, ...from);
  const b = await at(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

test('three people annotate a page together: live strokes, shapes and text in the same place, multi-user, undo, a late joiner', async ({
  person,
}) => {
  test.setTimeout(120_000);
  const teacher = await person();
  const student = await person();
  await teacher.setViewportSize({ width: 1400, height: 900 });
  await student.setViewportSize({ width: 1024, height: 700 });
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Maths 4e');
  await join(teacher, moderatorLink, 'Mme Laurent', 'listen-only');
  await join(student, viewerLink, 'Nina', 'listen-only');

  // A viewer has no drawing tools until the presenter opens the board to everyone.
  await expect(student.getByTestId('whiteboard-tools')).toHaveCount(0);

  // Page 2 of the default deck (a blank page).
  await teacher.getByTestId('slide-next').click();
  await expect(student.getByTestId('slide-page')).toHaveAttribute('data-page', '2');
  await board(teacher);
  await board(student);

  // A pencil stroke: the student sees it while it is being drawn, then finished.
  await teacher.getByTestId('tool-pencil').click();
  const start = await at(teacher, 0.2, 0.2);
  await teacher.mouse.move(start.x, start.y);
  await teacher.mouse.down();
  for (let i = 1; i <= 10; i++) {
    const p = await at(teacher, 0.2 + i * 0.02, 0.2 + (i % 2) * 0.03);
    await teacher.mouse.move(p.x, p.y);
    await teacher.waitForTimeout(30);
  }
  await expect(student.getByTestId('draft')).toHaveCount(1);
  await expect(student.getByTestId('annotation')).toHaveCount(0);
  await teacher.mouse.up();
  await expect(student.getByTestId('annotation')).toHaveCount(1);
  await expect(student.getByTestId('draft')).toHaveCount(0);

  // A rectangle (keyboard shortcut R) and a text.
  await teacher.keyboard.press('r');
  await expect(teacher.getByTestId('tool-rectangle')).toHaveAttribute('aria-pressed', 'true');
  await drag(teacher, [0.5, 0.5], [0.7, 0.65]);
  await teacher.getByTestId('tool-text').click();
  const textAt = await at(teacher, 0.1, 0.7);
  await teacher.mouse.click(textAt.x, textAt.y);
  await teacher.getByTestId('whiteboard-text-input').fill('Théorème de Pythagore');
  await teacher.keyboard.press('Enter');
  await expect(student.getByTestId('annotation')).toHaveCount(3);
  await expect(student.locator('[data-kind="text"]')).toContainText('Théorème de Pythagore');

  // Everyone sees them at the same place of the page, whatever the window.
  const mine = await placed(teacher);
  expect(Object.keys(mine)).toHaveLength(3);
  const theirs = await placed(student);
  for (const [id, p] of Object.entries(mine)) {
    const q = theirs[id];
    expect(q.kind).toBe(p.kind);
    for (const side of ['left', 'top', 'right', 'bottom'] as const)
      expect(Math.abs(q[side] - p[side])).toBeLessThan(0.02);
  }
  const rect = Object.values(mine).find((p) => p.kind === 'rectangle')!;
  expect(rect.left).toBeCloseTo(0.5, 1);
  expect(rect.bottom).toBeCloseTo(0.65, 1);

  // Multi-user mode: the student draws, and the teacher sees the student's named cursor.
  await teacher.getByTestId('whiteboard-multi-user').click();
  await expect(student.getByTestId('whiteboard-tools')).toBeVisible();
  await student.getByTestId('tool-pencil').click();
  const s1 = await at(student, 0.3, 0.85);
  await student.mouse.move(s1.x, s1.y);
  const s2 = await at(student, 0.35, 0.86);
  await student.mouse.move(s2.x, s2.y, { steps: 4 });
  await expect(teacher.getByTestId('cursor')).toContainText('Nina');
  await drag(student, [0.3, 0.85], [0.6, 0.9]);
  await expect(teacher.getByTestId('annotation')).toHaveCount(4);
  const studentShape = teacher.locator('[data-testid="annotation"][data-kind="pencil"]').last();
  expect(await studentShape.getAttribute('data-author')).not.toBe(
    await teacher.locator('[data-testid="annotation"][data-kind="pencil"]').first().getAttribute('data-author'),
  );

  // Undo removes the teacher's last shape (the text) for everyone, not the student's stroke.
  await teacher.locator('body').click({ position: { x: 5, y: 5 } });
  await teacher.keyboard.press('Control+z');
  await expect(student.getByTestId('annotation')).toHaveCount(3);
  await expect(student.locator('[data-kind="text"]')).toHaveCount(0);
  await teacher.getByTestId('whiteboard-redo').click();
  await expect(student.locator('[data-kind="text"]')).toHaveCount(1);

  // A late joiner, on a phone-sized screen, sees all of it at once.
  const late = await person();
  await late.setViewportSize({ width: 600, height: 800 });
  await join(late, viewerLink, 'Omar', 'listen-only');
  await board(late);
  await expect(late.getByTestId('annotation')).toHaveCount(4);
  const lateSeen = await placed(late);
  for (const [id, p] of Object.entries(mine)) {
    for (const side of ['left', 'top', 'right', 'bottom'] as const)
      expect(Math.abs(lateSeen[id][side] - p[side])).toBeLessThan(0.02);
  }

  // Turning the page shows that page's annotations (none), and back shows them again.
  await teacher.getByTestId('slide-prev').click();
  await expect(student.getByTestId('slide-page')).toHaveAttribute('data-page', '1');
  await expect(student.getByTestId('annotation')).toHaveCount(0);
  await teacher.getByTestId('slide-next').click();
  await expect(student.getByTestId('annotation')).toHaveCount(4);

  await teacher.screenshot({ path: test.info().outputPath('teacher.png') });
  await student.screenshot({ path: test.info().outputPath('student.png') });
});

test('the presenter draws with a finger on a tablet: the page does not scroll or pan, the stroke is drawn', async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
  try {
    const teacher = await ctx.newPage();
    const { moderatorLink } = await createRoom(teacher, 'Tablette');
    await join(teacher, moderatorLink, 'M. Petit', 'listen-only');
    await board(teacher);
    await teacher.getByTestId('tool-pencil').tap();
    const from = await at(teacher, 0.3, 0.4);
    const cdp = await ctx.newCDPSession(teacher);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: Math.round(x), y: Math.round(y) }],
      });
    const scrolled = () =>
      teacher.evaluate(() => [window.scrollY, document.scrollingElement?.scrollTop ?? 0, window.visualViewport?.scale]);
    const before = await scrolled();
    await touch('touchStart', from.x, from.y);
    for (let i = 1; i <= 12; i++) await touch('touchMove', from.x + i * 12, from.y + i * 9);
    await touch('touchEnd', 0, 0);
    await expect(teacher.locator('[data-testid="annotation"][data-kind="pencil"]')).toHaveCount(1);
    expect(await scrolled()).toEqual(before);
    // The stroke went where the finger went (down and to the right of where it started).
    const drawn = (await teacher.locator('[data-testid="annotation"]').boundingBox())!;
    expect(drawn.x).toBeGreaterThan(from.x - 10);
    expect(drawn.y).toBeGreaterThan(from.y - 10);
    expect(drawn.width).toBeGreaterThan(100);
    await expect(teacher.getByTestId('slide-page')).toHaveAttribute('data-zoom', '1');
  } finally {
    await ctx.close();
  }
});

test('a page full of ink: the presenter is told so in the whiteboard’s words, and clearing the page makes room', async ({
  person,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const teacher = await person();
  await teacher.setViewportSize({ width: 1280, height: 800 });
  const { moderatorLink } = await createRoom(teacher, 'Arts plastiques');
  await join(teacher, moderatorLink, 'Mme Laurent', 'listen-only');
  const layer = await board(teacher);

  // A second moderator's script fills the page on screen with ink, as far as the server takes it.
  const code = new URL(moderatorLink).pathname.split('/').at(-1)!;
  const joined = await (
    await fetch(`${baseURL}/api/join/${code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Script', audioMode: 'listen-only' }),
    })
  ).json();
  const script = io(baseURL!, {
    transports: ['websocket'],
    auth: { token: joined.sessionToken, protocol: PROTOCOL_VERSION },
  });
  const snapshot = await new Promise<{ state: MeetingState }>((resolve) => script.once(SOCKET.snapshot, resolve));
  const presentationId = snapshot.state.slides.current!;
  const where = { presentationId, page: 1 };
  const send = (command: object) =>
    script.timeout(10_000).emitWithAck(SOCKET.command, command) as Promise<{ ok: boolean; code?: string }>;
  try {
    // Not the presenter: the script draws with everyone's board open.
    expect(await send({ type: 'whiteboard.set-multi-user', enabled: true })).toEqual({ ok: true });
    let n = 0;
    const stroke = (points: number) => ({
      id: `full-${++n}-ink-script`,
      kind: 'pencil',
      points: Array.from({ length: points }, (_, k) => [40 + (k % 40) * 12.25, 40 + ((n * 7) % 700) + (k % 9) * 1.25]),
      colour: '#1971c2',
      size: 2,
      fill: false,
    });
    // Big strokes by the hundred, then one at a time, then small ones: the page is left with
    // less room than any stroke takes.
    for (const [count, points] of [
      [100, 80],
      [1, 80],
      [1, 2],
    ]) {
      for (;;) {
        const reply = await send({
          type: 'annotation.add',
          ...where,
          shapes: Array.from({ length: count }, () => stroke(points)),
        });
        // At a drawer's pace: too fast waits, as the web app does.
        if (!reply.ok && reply.code === 'too_fast') await new Promise((r) => setTimeout(r, 300));
        else if (!reply.ok) {
          expect(reply.code).toBe('too_large');
          break;
        }
      }
    }
    await expect(layer.locator('[data-testid="annotation"]').first()).toBeVisible({ timeout: 15_000 });

    // The teacher's stroke on the full page is refused, in words that say what to do.
    await teacher.getByTestId('tool-pencil').click();
    await drag(teacher, [0.3, 0.8], [0.6, 0.85], 30);
    await expect(teacher.getByTestId('slides-notice')).toContainText('The whiteboard is full here');
    await teacher.screenshot({ path: test.info().outputPath('whiteboard-full.png') });

    // Once the page is cleared, drawing works again.
    expect(await send({ type: 'annotation.clear-all', ...where })).toEqual({ ok: true });
    await expect(layer.locator('[data-testid="annotation"]')).toHaveCount(0);
    await drag(teacher, [0.3, 0.8], [0.6, 0.85]);
    await expect(layer.locator('[data-testid="annotation"][data-kind="pencil"]')).toHaveCount(1);
  } finally {
    script.close();
  }
});
