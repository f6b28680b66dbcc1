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

test('guessing a room password: after a few wrong tries the page asks to wait, then the right one gets in; the strict CSP is never broken', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const violations: string[] = [];
  for (const page of [teacher, student]) {
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(m.text());
    });
  }
  await teacher.goto('/');
  await teacher.getByTestId('room-name-input').fill('Club de go');
  await teacher.getByTestId('room-options').click();
  await teacher.getByTestId('room-password').fill('tengen');
  await teacher.getByTestId('create-room').click();
  const viewerLink = await teacher.getByTestId('viewer-link').inputValue();

  await student.goto(viewerLink);
  await student.getByTestId('name-input').fill('Honinbo');
  let wrong = 0;
  for (;;) {
    await student.getByTestId('password-input').fill(`essai ${wrong}`);
    await student.getByTestId('join').click();
    const alert = student.getByRole('alert');
    await expect(alert).toContainText(/Wrong password|Too many attempts/);
    if ((await alert.textContent())!.includes('Too many attempts')) break;
    wrong++;
    expect(wrong).toBeLessThanOrEqual(5);
  }
  expect(wrong).toBeGreaterThanOrEqual(1);
  await student.screenshot({ path: test.info().outputPath('password-wait.png') });
  await student.waitForTimeout(1500);
  await student.getByTestId('password-input').fill('tengen');
  await student.getByTestId('join').click();
  await student.waitForURL(/\/m\//);
  await expect(student.getByTestId('participant-list')).toContainText('Honinbo');
  expect(violations).toEqual([]);
});
