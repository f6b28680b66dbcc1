import { createRoom, expect, join, participantAction, test } from './kit';

test('a class of five: moderators, then raised hands in order, then names; full names at 1440 px; actions in a menu', async ({
  person,
}) => {
  const teacher = await person();
  const students = [await person(), await person(), await person(), await person()];
  const names = ['Marie-Charlotte Dupont', 'Lucas Martin', 'Zoé Nguyen', 'Noé Bernard-Lefèvre'];
  await teacher.setViewportSize({ width: 1440, height: 900 });
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Français 2nde');
  await join(teacher, moderatorLink, 'Mme Lefèvre', 'microphone');
  for (const [i, page] of students.entries())
    await join(page, viewerLink, names[i], i % 2 ? 'listen-only' : 'microphone');
  const list = teacher.getByTestId('participant-list');
  await expect(list.locator(':scope > li')).toHaveCount(5);

  // Zoé then Lucas raise a hand: they move up, in that order, and the teacher is told of each.
  await students[2].getByTestId('toggle-hand').click();
  await expect(teacher.getByTestId('hand-notification')).toContainText('Zoé Nguyen raised their hand');
  await expect(teacher.getByTestId('hand-notification')).toBeInViewport();
  await teacher.screenshot({ path: 'test-results/screens/participants-teacher-1440-hand.png' });
  await students[1].getByTestId('toggle-hand').click();
  await expect(teacher.getByTestId('hand-notification')).toContainText('Lucas Martin raised their hand');
  await expect(list.getByTestId('participant-name')).toHaveText([
    'Mme Lefèvre',
    'Zoé Nguyen',
    'Lucas Martin',
    'Marie-Charlotte Dupont',
    'Noé Bernard-Lefèvre',
  ]);

  // Every name fits at 1440 px, and carries its full text as a tooltip.
  const cut = await list
    .getByTestId('participant-name')
    .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent));
  // Soft: the screenshots below are still taken when a name is cut.
  expect.soft(cut).toEqual([]);
  await expect(list.locator('[title="Marie-Charlotte Dupont"]')).toHaveCount(1);

  // One button per row opens the actions; the teacher lowers Zoé's hand from it.
  await expect(list.getByTestId('make-presenter')).toHaveCount(0);
  await list.locator('li', { hasText: 'Zoé' }).getByTestId('participant-actions').click();
  await expect(teacher.getByRole('menu')).toBeVisible();
  // "Mute" too while her microphone is on, which LiveKit decides.
  expect(await teacher.getByRole('menuitem').allTextContents()).toEqual(
    expect.arrayContaining([
      'Private chat',
      'Lower their hand',
      'Make presenter',
      'Make moderator',
      'Remove from the meeting',
      'Ban',
    ]),
  );
  await teacher.screenshot({ path: 'test-results/screens/participants-teacher-1440-menu.png' });
  await teacher.keyboard.press('Escape');
  await expect(teacher.getByRole('menu')).toHaveCount(0);
  await teacher.waitForTimeout(300);
  await teacher.screenshot({ path: 'test-results/screens/participants-teacher-1440.png' });
  await teacher.locator('aside').first().screenshot({ path: 'test-results/screens/participants-panel-1440.png' });
  await participantAction(list.locator('li', { hasText: 'Zoé' }), 'lower-hand');
  await expect(students[2].getByTestId('toggle-hand')).toHaveAttribute('aria-pressed', 'false');

  // On a phone the participants have their own tab.
  await teacher.setViewportSize({ width: 390, height: 844 });
  await teacher.getByTestId('tab-participants').click();
  await list.scrollIntoViewIfNeeded();
  await teacher.screenshot({ path: 'test-results/screens/participants-teacher-390.png', fullPage: true });
  await list.screenshot({ path: 'test-results/screens/participants-panel-390.png' });
});
