import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { createRoom, expect, join, listedParticipants, livekitApi, meetingIdOf, test } from './kit';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/breakouts-${name}.png` });

/** The breakout room this page shows (the main room's classroom is put away meanwhile). */
const inRoom = (page: Page) => page.getByTestId('breakout-room');

/** Whose sound this page plays: the participants of its remote audio elements that are playing. */
const heard = (page: Page) =>
  page.locator('audio').evaluateAll((els) =>
    (els as HTMLAudioElement[])
      .filter((a) => !a.paused && a.currentTime > 0.3 && a.srcObject instanceof MediaStream)
      .map((a) => a.dataset.participantId)
      .sort(),
  );

/** Who is in a LiveKit room, by the media server's own list. */
const inMedia = async (room: string) => (await livekitApi().listParticipants(room)).map((p) => p.identity).sort();

/** The names in a column of the breakout dialog. */
const namesIn = (column: Locator) =>
  column.getByTestId('breakout-person').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));

/** axe-core's serious and critical findings on the page as it stands. */
async function serious(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** Opens the shared notes beside the chat, in the breakout room, and writes a line. */
async function write(page: Page, text: string) {
  const room = inRoom(page);
  await room.getByTestId('side-tab-notes').click();
  const editor = room.getByTestId('notes-editor');
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.type(text);
  return editor;
}

const person = (dialog: Locator, name: string) =>
  dialog.locator(`[data-testid="breakout-person"][data-name="${name}"]`);

test('breakout rooms: two pairs work apart (media, notes), the teacher visits and writes to every room, then all come back with the notes', async ({
  person: open,
}) => {
  test.setTimeout(150_000);
  const teacher = await open();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Géographie 4e');
  await join(teacher, moderatorLink, 'Mme Roy', 'microphone');
  const names = ['Léa', 'Noé', 'Inès', 'Hugo'] as const;
  const students = await Promise.all(names.map(() => open()));
  await Promise.all(students.map((s, i) => join(s, viewerLink, names[i], 'microphone')));
  const [lea, noe, ines, hugo] = students;
  const everyone = [teacher, ...students];
  const errors: string[] = [];
  for (const p of everyone) p.on('pageerror', (e) => errors.push(e.message));
  const mainId = meetingIdOf(teacher);
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(5);
  const listed = await listedParticipants(teacher);
  const id = (name: string) => listed.find((p) => p.text.includes(name))!.id;

  // Students have no breakout controls.
  await expect(lea.getByTestId('breakouts-open')).toHaveCount(0);

  // The teacher opens the dialog: two rooms named in the teacher's language, fifteen minutes.
  await teacher.getByTestId('breakouts-open').click();
  const dialog = teacher.getByTestId('breakouts-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('breakouts-room-name-1')).toHaveValue('Group 1');
  await expect(dialog.getByTestId('breakouts-room-name-2')).toHaveValue('Group 2');
  await expect(dialog.getByTestId('breakouts-minutes')).toHaveValue('15');
  // The teacher is not offered a room unless moderators are invited.
  await expect(person(dialog, 'Mme Roy')).toHaveCount(0);
  // Nobody placed: said before anything is sent.
  await dialog.getByTestId('breakouts-start').click();
  await expect(dialog.getByTestId('breakouts-error')).toHaveText(
    'Put at least one person in a room, or let students choose.',
  );
  // Léa and Noé dragged into Group 1; Inès and Hugo put in Group 2 with their lists (the keyboard way).
  // Dragged by the name (the list beside it is for the keyboard).
  for (const name of ['Léa', 'Noé'])
    await person(dialog, name).dragTo(dialog.getByTestId('breakouts-column-1'), { sourcePosition: { x: 12, y: 12 } });
  await expect(dialog.getByTestId('breakouts-error')).toHaveCount(0);
  await dialog.getByLabel('Room for Inès').selectOption({ label: 'Group 2' });
  await dialog.getByLabel('Room for Hugo').focus();
  await dialog.getByLabel('Room for Hugo').selectOption({ label: 'Group 2' });
  await expect.poll(() => namesIn(dialog.getByTestId('breakouts-column-1'))).toEqual(['Léa', 'Noé']);
  await expect.poll(() => namesIn(dialog.getByTestId('breakouts-column-2'))).toEqual(['Hugo', 'Inès']);
  await expect.poll(() => namesIn(dialog.getByTestId('breakouts-column-none'))).toEqual([]);
  await shot(teacher, 'dialog');
  expect(await serious(teacher)).toEqual([]);
  await dialog.getByTestId('breakouts-start').click();
  await expect(dialog).toBeHidden();

  // Everyone sees the countdown; each student is invited to their room, one click.
  for (const p of everyone) await expect(p.getByTestId('breakouts-countdown')).toHaveText(/1[45]:\d\d/);
  const invitation = lea.getByTestId('breakouts-invitation');
  await expect(invitation).toBeVisible();
  await expect(invitation).toContainText('You are invited to join Group 1.');
  await expect(invitation.getByTestId('breakouts-join')).toBeFocused();
  await shot(lea, 'invitation');
  for (const s of students) await s.getByTestId('breakouts-invitation').getByTestId('breakouts-join').click();

  // Each pair is in its own room, with the banner.
  const rooms = { [id('Léa')]: 1, [id('Noé')]: 1, [id('Inès')]: 2, [id('Hugo')]: 2 };
  for (const [i, s] of students.entries()) {
    const n = rooms[id(names[i])];
    await expect(inRoom(s).getByTestId('breakouts-room-name')).toHaveText(`Group ${n}`);
    await expect(inRoom(s).getByTestId('participant-list').locator('li')).toHaveCount(2);
  }
  const room1 = (await inRoom(lea).getAttribute('data-room-id'))!;
  const room2 = (await inRoom(ines).getAttribute('data-room-id'))!;
  expect(await inRoom(noe).getAttribute('data-room-id')).toBe(room1);
  expect(await inRoom(hugo).getAttribute('data-room-id')).toBe(room2);
  expect(room1).not.toBe(room2);

  // Each hears only their partner; the media server has each pair in its own room, the teacher alone.
  await expect.poll(() => heard(lea)).toEqual([id('Noé')]);
  await expect.poll(() => heard(noe)).toEqual([id('Léa')]);
  await expect.poll(() => heard(ines)).toEqual([id('Hugo')]);
  await expect.poll(() => heard(hugo)).toEqual([id('Inès')]);
  await expect.poll(() => heard(teacher)).toEqual([]);
  await expect.poll(() => inMedia(room1)).toEqual([id('Léa'), id('Noé')].sort());
  await expect.poll(() => inMedia(room2)).toEqual([id('Inès'), id('Hugo')].sort());
  await expect.poll(() => inMedia(mainId)).toEqual([id('Mme Roy')]);

  // The moderator's panel: who is in which room.
  const panel = teacher.getByTestId('breakouts-panel');
  await expect(panel.getByTestId('breakouts-panel-room-1').getByTestId('breakouts-in-room')).toContainText('Léa');
  await expect(panel.getByTestId('breakouts-panel-room-2').getByTestId('breakouts-in-room')).toContainText('Hugo');
  await shot(teacher, 'panel');

  // Each pair writes in its room's notes; the partner sees it, the other room does not.
  await write(lea, 'Group 1: the volcanoes of Auvergne');
  await inRoom(noe).getByTestId('side-tab-notes').click();
  await expect(inRoom(noe).getByTestId('notes-editor')).toContainText('the volcanoes of Auvergne');
  await write(hugo, 'Group 2: the Loire and its castles');
  await inRoom(ines).getByTestId('side-tab-notes').click();
  await expect(inRoom(ines).getByTestId('notes-editor')).toContainText('the Loire and its castles');
  await expect(inRoom(ines).getByTestId('notes-editor')).not.toContainText('volcanoes');

  // The teacher visits Group 1 and writes to every room from there.
  await panel.getByTestId('breakouts-visit-1').click();
  await expect(inRoom(teacher).getByTestId('breakouts-room-name')).toHaveText('Group 1');
  await expect(inRoom(teacher).getByTestId('participant-list').locator('li')).toHaveCount(3);
  await expect(inRoom(lea).getByTestId('participant-list').locator('li')).toHaveCount(3);
  await inRoom(teacher).getByTestId('breakouts-write').click();
  await inRoom(teacher).getByTestId('breakouts-banner-message').fill('Five minutes left: write your conclusion.');
  await inRoom(teacher).getByTestId('breakouts-banner-send').click();
  for (const s of [lea, ines]) {
    await expect(inRoom(s).getByTestId('breakouts-message-text')).toHaveText(
      'Five minutes left: write your conclusion.',
    );
    await expect(inRoom(s).getByTestId('breakouts-message-shown')).toContainText('Message from Mme Roy');
  }
  await shot(lea, 'room');
  await shot(teacher, 'visit');
  expect(await serious(teacher)).toEqual([]);

  // Hugo reloads his tab: he is put back in his room, his notes there.
  await hugo.reload();
  await expect(inRoom(hugo).getByTestId('breakouts-room-name')).toHaveText('Group 2');
  await inRoom(hugo).getByTestId('side-tab-notes').click();
  await expect(inRoom(hugo).getByTestId('notes-editor')).toContainText('the Loire and its castles');

  // Back in the main room, the teacher gives five more minutes, then moves Hugo to Group 1: he
  // follows at once (no "removed" page).
  await inRoom(teacher).getByTestId('breakouts-back').click();
  await expect(inRoom(teacher)).toHaveCount(0);
  await expect(panel).toBeVisible();
  await panel.getByTestId('breakouts-extend-5').click();
  await expect(teacher.getByTestId('breakouts-countdown')).toHaveText(/\b(19|20):\d\d$/);
  await expect(inRoom(lea).getByTestId('breakouts-left')).toHaveText(/\b(19|20):\d\d$/);
  await panel.getByLabel('Move Hugo to').selectOption({ label: 'Group 1' });
  await expect(inRoom(hugo).getByTestId('breakouts-room-name')).toHaveText('Group 1');
  await expect(inRoom(hugo).getByTestId('participant-list').locator('li')).toHaveCount(3);
  await expect(inRoom(lea).getByTestId('participant-list').locator('li')).toHaveCount(3);
  await expect(panel.getByTestId('breakouts-panel-room-1').getByTestId('breakouts-in-room')).toContainText('Hugo');
  expect(hugo.url()).toContain(`/m/${mainId}`);
  teacher.once('dialog', (d) => void d.accept());
  await panel.getByTestId('breakouts-end').click();

  // Everyone is back in the main room (never the "bye" page), hearing the four others.
  for (const p of everyone) {
    await expect(inRoom(p)).toHaveCount(0);
    await expect(p.getByTestId('breakouts-countdown')).toHaveCount(0);
    await expect(p.getByTestId('participant-list').locator('li')).toHaveCount(5);
    expect(p.url()).toContain(`/m/${mainId}`);
  }
  for (const p of everyone) await expect.poll(() => heard(p), { timeout: 30_000 }).toHaveLength(4);

  // Both rooms' notes came back as presentations of the main room.
  const options = teacher.getByTestId('presentation-select').locator('option');
  await expect(options.filter({ hasText: 'Group 1 — notes' })).toHaveCount(1);
  await expect(options.filter({ hasText: 'Group 2 — notes' })).toHaveCount(1);
  await shot(teacher, 'back');
  expect(errors).toEqual([]);
});
