import * as fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { createRoom, expect, join, test } from './kit';

/** Opens the Notes tab beside the chat and waits for the editor. */
async function openNotes(page: Page) {
  await page.getByTestId('side-tab-notes').click();
  await expect(page.getByTestId('notes-editor')).toBeVisible();
  await expect(page.getByTestId('notes-status')).toHaveText(/Saved/);
}

/** The notes' text as written, without the others' carets and their names. */
const written = (editor: Locator) =>
  editor.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent;
  });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/notes-${name}.png` });

test('two people write the notes at once, see each other’s caret; a late joiner sees it all; the lock makes them read-only', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  for (const p of [teacher, student]) await p.setViewportSize({ width: 1280, height: 720 });
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Physique 1re');
  await join(teacher, moderatorLink, 'M. Girard', 'listen-only');
  await join(student, viewerLink, 'Lou', 'listen-only');
  await openNotes(teacher);
  await openNotes(student);

  // A heading and a line from the teacher, a line from the student; then both type at once.
  const teacherEditor = teacher.getByTestId('notes-editor');
  const studentEditor = student.getByTestId('notes-editor');
  await teacherEditor.click();
  await teacher.getByTestId('notes-h1').click();
  await teacher.keyboard.type('Chute libre');
  await teacher.keyboard.press('Enter');
  await teacher.keyboard.type('Cours :');
  await expect(studentEditor.locator('p')).toHaveText('Cours :');
  await studentEditor.locator('p').click();
  await student.keyboard.press('End');
  await student.keyboard.press('Enter');
  await student.keyboard.type('Questions :');
  await expect(teacherEditor.locator('p').nth(1)).toHaveText('Questions :');
  await teacherEditor.locator('p').first().click();
  await teacher.keyboard.press('End');
  await Promise.all([
    teacher.keyboard.type(' la vitesse augmente de 9,8 m/s chaque seconde.', { delay: 30 }),
    student.keyboard.type(' et dans le vide ?', { delay: 30 }),
  ]);
  for (const editor of [teacherEditor, studentEditor]) {
    await expect(editor).toContainText('Cours : la vitesse augmente de 9,8 m/s chaque seconde.');
    await expect(editor).toContainText('Questions : et dans le vide ?');
  }
  expect(await written(teacherEditor)).toBe(await written(studentEditor));

  // Formatting from the toolbar reaches the other side: a bold word and a checklist.
  await student.keyboard.press('Enter');
  await student.getByTestId('notes-task-list').click();
  await expect(student.getByTestId('notes-task-list')).toHaveAttribute('aria-pressed', 'true');
  await student.keyboard.type('Refaire l’exercice 3');
  await expect(teacherEditor.locator('ul[data-type="taskList"] li > div')).toContainText('Refaire l’exercice 3');

  // Each sees the other's caret with their name.
  await expect(studentEditor.locator('.collaboration-carets__caret[data-name="M. Girard"]')).toBeVisible();
  await expect(teacherEditor.locator('.collaboration-carets__caret[data-name="Lou"]')).toBeVisible();
  await expect(teacher.getByTestId('notes-status')).toHaveText('Saved');
  await shot(teacher, 'teacher');
  await shot(student, 'student');

  // A third joins late and gets the whole document.
  const late = await person();
  await late.setViewportSize({ width: 1280, height: 720 });
  await join(late, viewerLink, 'Zoé', 'listen-only');
  await openNotes(late);
  const lateEditor = late.getByTestId('notes-editor');
  await expect(lateEditor.locator('h1')).toHaveText('Chute libre');
  await expect(lateEditor).toContainText('Questions : et dans le vide ?');
  await expect(lateEditor.locator('ul[data-type="taskList"] li > div')).toContainText('Refaire l’exercice 3');
  await shot(late, 'late');

  // The teacher locks the shared notes: the students' editors become read-only, the teacher's not.
  await teacher.getByTestId('locks-toggle').click();
  await teacher.getByTestId('lock-sharedNotes').check();
  await expect(student.getByTestId('notes-locked')).toHaveText('Notes locked by a moderator');
  await expect(studentEditor).toHaveAttribute('contenteditable', 'false');
  await expect(student.getByTestId('notes-toolbar')).toHaveCount(0);
  await expect(teacherEditor).toHaveAttribute('contenteditable', 'true');
  await studentEditor.click();
  await student.keyboard.type('ignored');
  await expect(studentEditor).not.toContainText('ignored');
  await teacherEditor.locator('h1').click();
  await teacher.keyboard.press('End');
  await teacher.keyboard.type(' (corrigé)');
  await expect(studentEditor.locator('h1')).toHaveText('Chute libre (corrigé)');
  await shot(student, 'locked');

  // Unlocked again: the student writes.
  await teacher.getByTestId('lock-sharedNotes').uncheck();
  await expect(studentEditor).toHaveAttribute('contenteditable', 'true');
  await expect(student.getByTestId('notes-locked')).toHaveCount(0);

  // Downloads come from the server's copy: the text as written by both.
  await teacher.getByTestId('notes-export').click();
  const [txt] = await Promise.all([teacher.waitForEvent('download'), teacher.getByTestId('notes-export-txt').click()]);
  const text = fs.readFileSync((await txt.path())!, 'utf8');
  expect(text).toContain('# Chute libre (corrigé)');
  expect(text).toContain('Questions : et dans le vide ?');

  // The teacher makes a presentation of the notes: it is shown to everyone.
  await teacher.getByTestId('notes-export').click();
  await teacher.getByTestId('notes-to-presentation').click();
  await expect(teacher.getByTestId('notes-notice')).toContainText('The notes are now a presentation');
  await expect(student.getByTestId('presentation-name')).toContainText('notes.pdf');
});
