import * as fs from 'node:fs';
import type { Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createRoom, expect, join, test } from './kit';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/polls-${name}.png` });

/** The live results as the teacher's panel shows them: label → count. */
async function counts(page: Page) {
  return page
    .getByTestId('poll-results')
    .getByTestId('poll-result')
    .evaluateAll((rows) =>
      Object.fromEntries(rows.map((r) => [r.getAttribute('data-label'), Number(r.getAttribute('data-count'))])),
    );
}

/** Whether the keyboard focus is inside the poll's answer panel. */
const focusedInPanel = (page: Page) =>
  page.evaluate(() => !!document.activeElement?.closest('[data-testid="poll-answer-panel"]'));

/** A one-page PDF whose text is these lines. */
async function pdfOf(lines: string[]) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([842, 595]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((line, i) => page.drawText(line, { x: 60, y: 480 - i * 60, size: 36, font }));
  return Buffer.from(await doc.save());
}

test('a custom poll: three students answer (one by keyboard, one changes), the teacher watches the results and publishes them', async ({
  person,
}) => {
  test.setTimeout(180_000);
  const teacher = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Sciences 6e');
  await join(teacher, moderatorLink, 'Mme Martin', 'listen-only');
  const names = ['Léa', 'Noé', 'Inès'];
  const students: Page[] = [];
  for (const name of names) {
    const s = await person();
    await join(s, viewerLink, name, 'listen-only');
    students.push(s);
  }
  const [lea, noe, ines] = students;

  // Students have no poll controls.
  await expect(lea.getByTestId('poll-start-open')).toHaveCount(0);
  await expect(lea.getByTestId('poll-history-open')).toHaveCount(0);

  await teacher.getByTestId('poll-start-open').click();
  const dialog = teacher.getByTestId('poll-start-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('poll-kind-custom').check();
  // Three answer fields to begin with; a fourth added then removed.
  await dialog.getByTestId('poll-option-add').click();
  await expect(dialog.getByTestId('poll-option-3')).toBeFocused();
  await dialog.getByTestId('poll-option-remove-3').click();
  await dialog.getByTestId('poll-option-0').fill('Mars');
  await dialog.getByTestId('poll-option-1').fill('Jupiter');
  // Two answers alike are refused before anything is sent.
  await dialog.getByTestId('poll-option-2').fill('mars !');
  await dialog.getByTestId('poll-start-submit').click();
  await expect(dialog.getByTestId('poll-start-error')).toHaveText('Two answers are the same.');
  await dialog.getByTestId('poll-option-2').fill('Vénus');
  await expect(dialog.getByTestId('poll-start-error')).toHaveCount(0);
  await dialog.getByTestId('poll-question').fill('Which planet is the largest?');
  await shot(teacher, 'start-dialog');
  await dialog.getByTestId('poll-start-submit').click();
  await expect(dialog).toBeHidden();

  // Every student gets the panel, the focus in it; the teacher who asked does not answer.
  for (const s of students) await expect(s.getByTestId('poll-answer-panel')).toBeVisible();
  await expect(teacher.getByTestId('poll-answer-panel')).toHaveCount(0);
  await expect.poll(() => focusedInPanel(noe)).toBe(true);
  await expect(lea.getByRole('dialog', { name: 'Which planet is the largest?' })).toBeVisible();
  await shot(lea, 'student-panel');

  const results = teacher.getByTestId('poll-results');
  await expect(results.getByTestId('poll-not-answered')).toHaveText('Not answered yet: Inès, Léa, Noé');

  // Léa with the mouse.
  await lea.getByRole('radio', { name: 'Jupiter', exact: true }).check();
  await lea.getByTestId('poll-submit').click();
  await expect(lea.getByTestId('poll-sent')).toHaveText('Answer sent');
  await expect(lea.getByTestId('poll-mine')).toHaveText('Your answer: Jupiter');
  await expect.poll(() => counts(teacher)).toEqual({ Mars: 0, Jupiter: 1, Vénus: 0 });

  // Noé with the keyboard only: the focus is on the first option already.
  await noe.keyboard.press('Space');
  await expect(noe.getByTestId('poll-choice-0')).toBeChecked();
  await noe.keyboard.press('Tab');
  await expect(noe.getByTestId('poll-submit')).toBeFocused();
  await noe.keyboard.press('Enter');
  await expect(noe.getByTestId('poll-sent')).toBeVisible();
  await expect(noe.getByTestId('poll-change')).toBeFocused();
  await expect.poll(() => counts(teacher)).toEqual({ Mars: 1, Jupiter: 1, Vénus: 0 });
  await expect(results.getByTestId('poll-not-answered')).toHaveText('Not answered yet: Inès');
  await expect(results.getByTestId('poll-responders')).toHaveText('2 answered');

  // Inès answers, then changes her mind.
  await ines.getByRole('radio', { name: 'Mars', exact: true }).check();
  await ines.getByTestId('poll-submit').click();
  await expect(ines.getByTestId('poll-mine')).toHaveText('Your answer: Mars');
  await ines.getByTestId('poll-change').click();
  await expect(ines.getByTestId('poll-choice-0')).toBeChecked();
  await ines.getByRole('radio', { name: 'Vénus', exact: true }).check();
  await ines.getByTestId('poll-submit').click();
  await expect(ines.getByTestId('poll-mine')).toHaveText('Your answer: Vénus');
  await expect.poll(() => counts(teacher)).toEqual({ Mars: 1, Jupiter: 1, Vénus: 1 });
  await expect(results.getByTestId('poll-not-answered')).toHaveText('Everyone has answered.');
  await results.getByTestId('poll-who').locator('summary').click();
  await expect(results.getByTestId('poll-who').locator('li')).toHaveText(['Inès Vénus', 'Léa Jupiter', 'Noé Mars']);
  await shot(teacher, 'results-panel');
  await teacher.emulateMedia({ colorScheme: 'dark' });
  await shot(teacher, 'results-panel-dark');
  await teacher.emulateMedia({ colorScheme: 'light' });

  await results.getByTestId('poll-publish').click();
  await expect(results).toHaveAttribute('data-status', 'published');
  // The results in the chat, for everyone; the students' panels say the poll ended.
  for (const page of [teacher, ...students]) {
    const last = page.getByTestId('chat-messages').getByTestId('chat-message').last();
    await expect(last).toContainText('Poll results — Which planet is the largest?');
    await expect(last).toContainText('Jupiter : 1 (33 %)');
    await expect(last).toContainText('3 answers');
  }
  await expect(lea.getByTestId('poll-ended')).toHaveText('The poll has ended.');
  // Published, the teacher's panel gets small: the chart on the page shows the results.
  await expect(results.getByTestId('poll-result')).toHaveCount(0);
  await expect(results.getByTestId('poll-responders')).toHaveText('3 answered');
  // The chart on the page, for everyone.
  for (const page of [teacher, ...students]) {
    await expect(page.locator('[data-testid="annotation"][data-kind="chart"]')).toHaveCount(1);
  }
  await shot(teacher, 'published-teacher');
  await shot(lea, 'published-student');
  await results.getByTestId('poll-results-close').click();
  await expect(results).toHaveCount(0);
  await expect(lea.getByTestId('poll-answer-panel')).toHaveCount(0, { timeout: 15_000 });
});

test('a quick poll from the page’s text: A) B) C) on the slide, one click, the student gets A–C', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Physique 5e');
  await join(teacher, moderatorLink, 'M. Petit', 'listen-only');
  await join(student, viewerLink, 'Jules', 'listen-only');
  // The default deck's welcome page suggests nothing.
  await expect(teacher.getByTestId('slide-page')).toHaveAttribute('data-rendered', 'yes', { timeout: 30_000 });
  await expect(teacher.getByTestId('quick-poll')).toHaveCount(0);

  await teacher.getByTestId('upload-input').setInputFiles({
    name: 'quiz.pdf',
    mimeType: 'application/pdf',
    buffer: await pdfOf(['Which planet is the largest?', 'A) Mars', 'B) Jupiter', 'C) Venus']),
  });
  await expect(student.getByTestId('presentation-name')).toHaveText('quiz.pdf', { timeout: 30_000 });
  const quick = teacher.getByTestId('quick-poll');
  await expect(quick).toHaveText('Quick poll: A–C', { timeout: 30_000 });
  await expect(quick).toHaveAttribute('data-kind', 'letters');
  await expect(student.getByTestId('quick-poll')).toHaveCount(0);
  await shot(teacher, 'quick-button');
  await quick.click();

  const panel = student.getByTestId('poll-answer-panel');
  await expect(panel.getByRole('heading')).toHaveText('Which planet is the largest?');
  await expect(panel.getByRole('radio')).toHaveCount(3);
  await expect(panel.locator('label')).toHaveText(['A', 'B', 'C']);
  await shot(student, 'quick-student');
  // One poll at a time: the quick poll gives way while it runs.
  await expect(quick).toHaveCount(0);
  await panel.getByRole('radio', { name: 'B', exact: true }).check();
  await panel.getByTestId('poll-submit').click();
  await expect.poll(() => counts(teacher)).toEqual({ A: 0, B: 1, C: 0 });
  await teacher.getByTestId('poll-stop').click();
  await expect(teacher.getByTestId('poll-results')).toHaveAttribute('data-status', 'stopped');
  await expect(student.getByTestId('poll-ended')).toBeVisible();
});

test('an anonymous poll: a student answers then changes it; the teacher sees counts and how many have not answered, never names', async ({
  person,
}) => {
  const teacher = await person();
  const zoe = await person();
  const tom = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Histoire 4e');
  await join(teacher, moderatorLink, 'M. Bernard', 'listen-only');
  await join(zoe, viewerLink, 'Zoé', 'listen-only');
  await join(tom, viewerLink, 'Tom', 'listen-only');

  await teacher.getByTestId('poll-start-open').click();
  const dialog = teacher.getByTestId('poll-start-dialog');
  await dialog.getByTestId('poll-kind-yes-no').check();
  await dialog.getByTestId('poll-anonymous').check();
  await dialog.getByTestId('poll-question').fill('Did you read chapter 3?');
  await dialog.getByTestId('poll-start-submit').click();

  const panel = zoe.getByTestId('poll-answer-panel');
  await expect(panel).toContainText('Anonymous poll');
  // Escape puts the panel away as a chip; the chip brings it back.
  await expect.poll(() => focusedInPanel(zoe)).toBe(true);
  await zoe.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(zoe.getByTestId('poll-chip')).toBeFocused();
  await expect(zoe.getByTestId('poll-chip')).toHaveText('Poll running — answer');
  await zoe.keyboard.press('Enter');
  await expect(panel).toBeVisible();

  await panel.getByRole('radio', { name: 'Yes', exact: true }).check();
  await panel.getByTestId('poll-submit').click();
  await expect(panel.getByTestId('poll-mine')).toHaveText('Your answer: Yes');
  const results = teacher.getByTestId('poll-results');
  await expect.poll(() => counts(teacher)).toEqual({ Yes: 1, No: 0 });
  await panel.getByTestId('poll-change').click();
  await panel.getByRole('radio', { name: 'No', exact: true }).check();
  await panel.getByTestId('poll-submit').click();
  await expect(panel.getByTestId('poll-mine')).toHaveText('Your answer: No');
  // Still one answer: changed, not added.
  await expect.poll(() => counts(teacher)).toEqual({ Yes: 0, No: 1 });
  await expect(results.getByTestId('poll-responders')).toHaveText('1 answered');
  await expect(results.getByTestId('poll-not-answered')).toHaveText('Not answered yet: 1');
  await expect(results.getByTestId('poll-who')).toHaveCount(0);
  await expect(results).not.toContainText('Zoé');
  await expect(results).not.toContainText('Tom');
  await shot(teacher, 'anonymous-results');

  // A reload of Zoé's tab finds her answer (and the receipt to change it) again.
  await zoe.reload();
  await expect(zoe.getByTestId('poll-mine')).toHaveText('Your answer: No');

  await results.getByTestId('poll-stop').click();
  await expect(results).toHaveAttribute('data-status', 'stopped');
  // The history's CSV: the results, and no name anywhere.
  await teacher.getByTestId('poll-history-open').click();
  const history = teacher.getByTestId('poll-history');
  await expect(history.getByTestId('poll-history-item')).toHaveCount(1);
  const [file] = await Promise.all([teacher.waitForEvent('download'), history.getByTestId('poll-history-csv').click()]);
  expect(file.suggestedFilename()).toBe('polls-1.csv');
  const csv = fs.readFileSync((await file.path())!, 'utf8');
  expect(csv).toContain('"1","Did you read chapter 3?","Yes / No","yes","Stopped",');
  expect(csv).toMatch(/"No","1","100"\r\n/);
  expect(csv).not.toMatch(/Zoé|Tom|Bernard/);
  await shot(teacher, 'history');
});
