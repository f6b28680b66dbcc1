import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import * as fs from 'node:fs';
import { createRoom, expect, expectAudioPlaying, join, participantAction, test } from './kit';

/** axe-core's serious and critical findings on the page as it stands, one line each. */
async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary}`),
    );
  fs.mkdirSync('test-results/a11y', { recursive: true });
  fs.writeFileSync(`test-results/a11y/${where}.json`, JSON.stringify(violations, null, 2));
  return found;
}

/** Console errors and uncaught exceptions of a page, gathered as they happen. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} @ ${m.location().url}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

test('every page has no serious or critical axe-core violation', async ({ person }) => {
  const teacher = await person();
  const student = await person();
  const guest = await person();
  const found: string[] = [];

  await teacher.goto('/');
  found.push(...(await seriousViolations(teacher, 'home')));
  await teacher.getByTestId('room-name-input').fill('Histoire 5e');
  await teacher.getByTestId('room-options').click();
  await teacher.getByTestId('guest-policy').selectOption('ask-moderator');
  await teacher.getByTestId('create-room').click();
  const moderatorLink = await teacher.getByTestId('moderator-link').inputValue();
  const viewerLink = await teacher.getByTestId('viewer-link').inputValue();
  found.push(...(await seriousViolations(teacher, 'home-created')));

  await student.goto(viewerLink);
  await expect(student.getByTestId('name-input')).toBeVisible();
  found.push(...(await seriousViolations(student, 'join')));

  await join(teacher, moderatorLink, 'Mme Roux', 'microphone');
  await guest.goto(viewerLink);
  await guest.getByTestId('name-input').fill('Jade');
  await guest.getByTestId('join').click();
  await expect(guest.getByTestId('waiting')).toBeVisible();
  found.push(...(await seriousViolations(guest, 'waiting')));
  await teacher.getByTestId('waiting-room').locator('li', { hasText: 'Jade' }).getByTestId('admit').click();
  await guest.waitForURL(/\/m\//);

  await guest.getByTestId('toggle-hand').click();
  await expect(teacher.getByTestId('hand-notification')).toBeVisible();
  await participantAction(teacher.locator('li', { hasText: 'Jade' }), 'lower-hand');
  await teacher.locator('li', { hasText: 'Jade' }).getByTestId('participant-actions').click();
  found.push(...(await seriousViolations(teacher, 'classroom-teacher')));
  await teacher.keyboard.press('Escape');
  // The student's page with its "more" menu open: checkboxes, radios and groups of a menu.
  await guest.getByTestId('more').click();
  await expect(guest.getByRole('menu')).toBeVisible();
  found.push(...(await seriousViolations(guest, 'classroom-student')));
  await guest.keyboard.press('Escape');
  // The shared notes open, with their toolbar and editable area.
  await teacher.getByTestId('side-tab-notes').click();
  await expect(teacher.getByTestId('notes-editor')).toBeVisible();
  await expect(teacher.getByTestId('notes-editor')).toHaveAttribute('role', 'textbox');
  found.push(...(await seriousViolations(teacher, 'notes')));

  teacher.once('dialog', (d) => void d.accept());
  await teacher.getByTestId('end-meeting').click();
  await expect(guest.getByTestId('bye')).toHaveAttribute('data-reason', 'ended');
  found.push(...(await seriousViolations(guest, 'end')));

  expect(found).toEqual([]);
});

test('a student joins, raises a hand, writes in the chat and leaves with the keyboard alone; the teacher is told of the hand', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Anglais 3e');
  await join(teacher, moderatorLink, 'Mr Brown', 'microphone');
  const errors = consoleErrors(student);

  await student.goto(viewerLink);
  const name = student.getByTestId('name-input');
  await expect(name).toBeVisible();
  // From the top of the page, Tab reaches the name field, then the audio choice and the button.
  await student.keyboard.press('Tab');
  for (let i = 0; i < 10 && !(await name.evaluate((el) => el === document.activeElement)); i++) {
    await student.keyboard.press('Tab');
  }
  await expect(name).toBeFocused();
  await student.keyboard.type('Oliver');
  await student.keyboard.press('Enter');
  await student.waitForURL(/\/m\//);
  await expect(student.getByTestId('participant-list')).toContainText('Oliver');

  // Alt+R raises the hand; the teacher gets a toast and a spoken announcement.
  await student.keyboard.press('Alt+KeyR');
  await expect(student.getByTestId('toggle-hand')).toHaveAttribute('aria-pressed', 'true');
  await expect(teacher.getByTestId('hand-notification')).toContainText('Oliver raised their hand');
  await expect(teacher.getByTestId('hand-announcement')).toHaveText('Oliver raised their hand');
  await expect(teacher.locator('li[data-hand="true"]')).toContainText('Oliver');

  // "?" shows the shortcuts; Escape closes them.
  await student.keyboard.press('?');
  await expect(student.getByTestId('shortcuts-help')).toBeVisible();
  await expect(student.getByTestId('shortcuts-help')).toContainText('Alt+M');
  await student.keyboard.press('Escape');
  await expect(student.getByTestId('shortcuts-help')).toBeHidden();

  // Alt+C goes to the chat; Enter sends; the teacher's page announces it.
  await student.keyboard.press('Alt+KeyC');
  await expect(student.getByTestId('chat-input')).toBeFocused();
  await expect(student.getByTestId('chat-input')).toHaveAttribute('placeholder', 'Message everyone…');
  await student.keyboard.type('Hello from the keyboard');
  await student.keyboard.press('Enter');
  await expect(teacher.getByTestId('chat-messages')).toContainText('Hello from the keyboard');
  await expect(teacher.getByTestId('chat-announcement')).toHaveText('Oliver: Hello from the keyboard');

  // Alt+U goes to the participants; Tab reaches a row's menu, which the arrows walk.
  await student.keyboard.press('Alt+KeyU');
  await expect(student.locator('#participants-title')).toBeFocused();
  await student.keyboard.press('Tab');
  await expect(student.getByTestId('participant-actions').first()).toBeFocused();
  await student.keyboard.press('Enter');
  await expect(student.getByTestId('start-chat')).toBeFocused();
  await student.keyboard.press('Escape');
  await expect(student.getByTestId('participant-actions').first()).toBeFocused();

  // Alt+L leaves, once confirmed.
  student.once('dialog', (d) => void d.accept());
  await student.keyboard.press('Alt+KeyL');
  await expect(student.getByTestId('bye')).toHaveAttribute('data-reason', 'left');
  expect(errors).toEqual([]);
});

test('the layout menu works with the keyboard alone, as a menu button does, and its keys do not turn the slides', async ({
  person,
}) => {
  const teacher = await person();
  const { moderatorLink } = await createRoom(teacher, 'Musique 6e');
  await join(teacher, moderatorLink, 'Mme Lenoir', 'microphone');
  const pageNumber = await teacher.getByTestId('slide-page-number').textContent();
  const button = teacher.getByTestId('layout-menu');
  const menu = teacher.getByRole('menu');
  const focused = (testid: string) => expect(teacher.getByTestId(testid)).toBeFocused();

  // Tab reaches the button from the top of the page.
  for (let i = 0; i < 20 && !(await button.evaluate((el) => el === document.activeElement)); i++) {
    await teacher.keyboard.press('Tab');
  }
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-haspopup', 'menu');

  // Enter opens it on its first item; the arrows go round, Home and End jump.
  await teacher.keyboard.press('Enter');
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitemradio')).toHaveCount(2);
  await expect(menu.getByRole('menuitemradio', { checked: true })).toHaveAttribute(
    'data-testid',
    'layout-presentation',
  );
  await focused('layout-presentation');
  await teacher.keyboard.press('ArrowDown');
  await focused('layout-video');
  await teacher.keyboard.press('ArrowDown');
  await focused('layout-push');
  await teacher.keyboard.press('ArrowDown');
  await focused('layout-presentation');
  await teacher.keyboard.press('ArrowUp');
  await focused('layout-push');
  await teacher.keyboard.press('Home');
  await focused('layout-presentation');
  await teacher.keyboard.press('End');
  await focused('layout-push');

  // Escape closes it and gives the focus back to the button.
  await teacher.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');

  // ArrowUp opens it on its last item, ArrowDown on its first; Enter chooses and closes.
  await teacher.keyboard.press('ArrowUp');
  await focused('layout-push');
  await teacher.keyboard.press('Escape');
  await teacher.keyboard.press('ArrowDown');
  await focused('layout-presentation');
  await teacher.keyboard.press('ArrowDown');
  await teacher.keyboard.press('Enter');
  await expect(teacher.getByTestId('classroom')).toHaveAttribute('data-focus', 'video');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();

  // Space opens it too, and chooses.
  await teacher.keyboard.press('Space');
  await focused('layout-presentation');
  await expect(teacher.getByTestId('layout-video')).toHaveAttribute('aria-checked', 'true');
  await teacher.keyboard.press('Space');
  await expect(teacher.getByTestId('classroom')).toHaveAttribute('data-focus', 'presentation');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();

  // Tab leaves it, closed, for what comes after the button.
  await teacher.keyboard.press('Enter');
  await focused('layout-presentation');
  await teacher.keyboard.press('Tab');
  await expect(menu).toHaveCount(0);
  await expect(teacher.getByTestId('language')).toBeFocused();

  // The presenter's slides took none of the menu's arrows, Home or End.
  await expect(teacher.getByTestId('slide-page-number')).toHaveText(pageNumber!);
});

test('no console error on a normal join, a reload, a removal and the end of the meeting', async ({ person }) => {
  const teacher = await person();
  const student = await person();
  const other = await person();
  const errors = { teacher: consoleErrors(teacher), student: consoleErrors(student), other: consoleErrors(other) };
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'SVT 4e');
  await join(teacher, moderatorLink, 'M. Blanc', 'microphone');
  await join(student, viewerLink, 'Inès', 'microphone');
  await join(other, viewerLink, 'Yann', 'listen-only');
  await expect(student.getByTestId('toggle-mic')).toBeEnabled({ timeout: 20_000 });
  // Everyone hears the student before she reloads (a page left while others are still
  // subscribing to her microphone makes LiveKit's client log their late track).
  await expectAudioPlaying(teacher, 1);
  await expectAudioPlaying(other, 2);

  await student.reload();
  await expect(student.getByTestId('participant-list')).toContainText('M. Blanc');
  await expect(student.getByTestId('toggle-mic')).toBeEnabled({ timeout: 20_000 });
  // The class settles: everyone hears the student again before the teacher removes her.
  await expectAudioPlaying(teacher, 1);
  await expectAudioPlaying(other, 2);

  teacher.once('dialog', (d) => void d.accept());
  await participantAction(teacher.locator('li', { hasText: 'Inès' }), 'remove');
  await expect(student.getByTestId('bye')).toHaveAttribute('data-reason', 'removed');
  // LiveKit's own close arrives a moment after ours: give a late error the time to show.
  await student.waitForTimeout(1500);

  teacher.once('dialog', (d) => void d.accept());
  await teacher.getByTestId('end-meeting').click();
  for (const page of [teacher, other]) await expect(page.getByTestId('bye')).toHaveAttribute('data-reason', 'ended');
  await teacher.waitForTimeout(1500);
  expect(errors).toEqual({ teacher: [], student: [], other: [] });
});
