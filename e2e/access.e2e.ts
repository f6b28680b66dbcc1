import { join, expect, test } from './kit';

test('waiting room: the teacher sees who waits, messages them, admits one and denies the other', async ({ person }) => {
  const teacher = await person();
  const anna = await person();
  const boris = await person();
  await teacher.goto('/');
  await teacher.getByTestId('room-name-input').fill('Allemand');
  await teacher.getByTestId('room-options').click();
  await teacher.getByTestId('guest-policy').selectOption('ask-moderator');
  await teacher.getByTestId('welcome-message').fill('Bienvenue ! Cours sur https://example.org/allemand');
  await teacher.getByTestId('create-room').click();
  const moderatorLink = await teacher.getByTestId('moderator-link').inputValue();
  const viewerLink = await teacher.getByTestId('viewer-link').inputValue();
  await join(teacher, moderatorLink, 'Frau Weber', 'microphone');

  for (const [page, name] of [
    [anna, 'Anna'],
    [boris, 'Boris'],
  ] as const) {
    await page.goto(viewerLink);
    await page.getByTestId('name-input').fill(name);
    await page.getByTestId('join').click();
    await expect(page.getByTestId('waiting')).toBeVisible();
  }
  const room = teacher.getByTestId('waiting-room');
  await expect(room.locator('li')).toHaveText([/Anna/, /Boris/]);

  await teacher.getByTestId('waiting-message-input').fill('Deux minutes, on commence.');
  await teacher.getByTestId('waiting-message-send').click();
  await expect(anna.getByTestId('waiting-message')).toContainText('Deux minutes, on commence.');

  await room.locator('li', { hasText: 'Anna' }).getByTestId('admit').click();
  await room.locator('li', { hasText: 'Boris' }).getByTestId('deny').click();
  await anna.waitForURL(/\/m\//);
  await expect(anna.getByTestId('participant-list')).toContainText('Frau Weber');
  await expect(anna.getByTestId('chat-welcome')).toContainText('Bienvenue !');
  await expect(boris.getByTestId('waiting')).toHaveAttribute('data-denied', 'true');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(2);
  await expect(room.locator('li')).toHaveCount(0);
});

test('a room password is asked of students, and a wrong one is refused with a clear message', async ({ person }) => {
  const teacher = await person();
  const student = await person();
  await teacher.goto('/');
  await teacher.getByTestId('room-name-input').fill('Club échecs');
  await teacher.getByTestId('room-options').click();
  await teacher.getByTestId('room-password').fill('cavalier');
  await teacher.getByTestId('create-room').click();
  const viewerLink = await teacher.getByTestId('viewer-link').inputValue();

  await student.goto(viewerLink);
  await student.getByTestId('name-input').fill('Magnus');
  await student.getByTestId('password-input').fill('fou');
  await student.getByTestId('join').click();
  await expect(student.getByRole('alert')).toContainText('Wrong password');
  await student.getByTestId('password-input').fill('cavalier');
  await student.getByTestId('join').click();
  await student.waitForURL(/\/m\//);
  await expect(student.getByTestId('participant-list')).toContainText('Magnus');
});
