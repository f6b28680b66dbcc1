import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { createRoom, join, expect, test } from './kit';

const SCREENS = path.resolve(__dirname, '../test-results/screens');
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Screenshots of the classroom in both themes, to look at. */
async function shoot(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: path.join(SCREENS, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the classroom fits a laptop and a phone, its toolbar stays on one row, reactions are drawn, and a pushed layout reaches the student', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Géographie 5e C — la classe de Mme Fontaine');
  await join(teacher, moderatorLink, 'Mme Fontaine', 'microphone');
  await join(student, viewerLink, 'Camille Durand-Lefebvre', 'listen-only');

  for (const page of [teacher, student]) {
    await page.setViewportSize(WIDE);
    await expect(page.getByTestId('slide-page-number')).toBeVisible();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  }
  // The presenter's toolbar, the fullest one, is a single row at 1440 px, and still at 1280 px.
  const toolbar = teacher.getByTestId('slides-toolbar');
  const rowsOf = () =>
    toolbar.evaluate((bar) => {
      const middles = [...bar.children]
        .map((c) => c.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => r.top + r.height / 2);
      return Math.max(...middles) - Math.min(...middles) < 8 ? 1 : 2;
    });
  expect(await rowsOf()).toBe(1);
  expect((await toolbar.boundingBox())!.height).toBeLessThan(56);
  await teacher.setViewportSize({ width: 1280, height: 800 });
  expect(await rowsOf()).toBe(1);
  expect(await overflow(teacher)).toBeLessThanOrEqual(0);
  await teacher.setViewportSize(WIDE);

  // Reactions are SVG icons, with no text glyph that needs an emoji font.
  await student.getByTestId('reactions').click();
  const reactions = student.locator('[data-testid^="react-"]');
  await expect(reactions).toHaveCount(6);
  for (const r of await reactions.all()) {
    await expect(r.locator('svg path').first()).toBeAttached();
    expect(await r.textContent()).not.toMatch(/\p{Extended_Pictographic}/u);
  }
  await student.keyboard.press('Escape');

  await expect(teacher.getByTestId('video-tile')).toHaveCount(2, { timeout: 30_000 });
  await shoot(teacher, 'classroom-teacher-1440');
  await shoot(student, 'classroom-student-1440');

  // The teacher chooses the cameras' grid and shows it to everyone; the student cannot change it.
  await teacher.getByTestId('layout-menu').click();
  await teacher.getByTestId('layout-video').click();
  await expect(teacher.getByTestId('classroom')).toHaveAttribute('data-focus', 'video');
  await teacher.getByTestId('layout-menu').click();
  await teacher.getByTestId('layout-push').click();
  await expect(student.getByTestId('classroom')).toHaveAttribute('data-focus', 'video');
  await expect(student.getByTestId('video-grid')).toBeVisible();
  await expect(student.getByTestId('layout-pushed-badge')).toBeVisible();
  await student.getByTestId('layout-menu').click();
  await expect(student.getByTestId('layout-pushed')).toBeVisible();
  // The choices look refused, with the reason; a click says it and changes nothing.
  await expect(student.getByTestId('layout-presentation')).toHaveAccessibleDescription(
    'A moderator chose this layout for everyone',
  );
  await student.getByTestId('layout-presentation').click();
  await expect(student.getByTestId('notice')).toContainText('A moderator chose this layout for everyone');
  await expect(student.getByTestId('classroom')).toHaveAttribute('data-focus', 'video');
  await shoot(student, 'classroom-student-1440-video');

  // Released, everyone is back to their own choice (the student's: the presentation).
  await teacher.getByTestId('layout-menu').click();
  await teacher.getByTestId('layout-release').click();
  await expect(student.getByTestId('classroom')).toHaveAttribute('data-focus', 'presentation');

  // On a phone: tabs, the action bar, and nothing wider than the screen.
  for (const page of [teacher, student]) {
    await page.setViewportSize(PHONE);
    await expect(page.getByTestId('tab-chat')).toBeVisible();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  }
  await teacher.getByTestId('layout-menu').click();
  await teacher.getByTestId('layout-presentation').click();
  await shoot(teacher, 'classroom-teacher-390');
  await shoot(student, 'classroom-student-390');
  for (const tab of ['participants', 'chat'] as const) {
    for (const page of [teacher, student]) {
      await page.getByTestId(`tab-${tab}`).click();
      expect(await overflow(page), `${tab} tab`).toBeLessThanOrEqual(0);
    }
    await shoot(teacher, `classroom-teacher-390-${tab}`);
  }
});

test('a refused slides command is said beside the slides toolbar, in its own status line, not above the action bar', async ({
  person,
}) => {
  const teacher = await person();
  await teacher.setViewportSize(WIDE);
  const { moderatorLink } = await createRoom(teacher, 'Histoire 4e');
  await join(teacher, moderatorLink, 'M. Garnier', 'microphone');
  await expect(teacher.getByTestId('slide-page-number')).toHaveText(/^Page 1 of/);
  const status = teacher.getByTestId('slides-notice');
  await expect(status).toHaveRole('status');
  await expect(status).toBeEmpty();

  // Page turns faster than any hand (key presses dispatched in the page): past the paging rate,
  // the server refuses them.
  await teacher.evaluate(() => {
    for (let i = 0; i < 60; i++) {
      for (const key of ['ArrowRight', 'ArrowLeft']) window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    }
  });
  await expect(status).toHaveText('Too many attempts or messages at once: wait a moment and try again.');
  await expect(teacher.getByTestId('notice')).toHaveCount(0);
  // Just under the slides' toolbars (a second row may come under the first), inside the slides.
  const bottoms = await teacher
    .getByTestId('slides')
    .getByRole('toolbar')
    .evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().bottom));
  const said = (await status.boundingBox())!;
  expect(said.y).toBeGreaterThanOrEqual(Math.max(...bottoms));
  expect(said.y).toBeLessThan(Math.max(...bottoms) + 24);
  await shoot(teacher, 'slides-refused-1440');

  await teacher.getByTestId('slides-notice-dismiss').click();
  await expect(status).toBeEmpty();
});
