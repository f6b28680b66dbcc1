import { expect, test } from '@playwright/test';
import { TrackSource } from 'livekit-server-sdk';
import { createRoom, join, listedParticipants, livekitApi, meetingIdOf, person } from './kit';

test('a teacher runs the class: hands in order, mute all but the presenter, a microphone lock the student cannot get round', async ({
  browser,
}) => {
  const teacher = await person(browser);
  const [lea, noah, ines] = [await person(browser), await person(browser), await person(browser)];
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Physique 1re');
  await join(teacher, moderatorLink, 'M. Leroy', 'microphone');
  await join(lea, viewerLink, 'Léa', 'microphone');
  await join(noah, viewerLink, 'Noah', 'microphone');
  await join(ines, viewerLink, 'Inès', 'microphone');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(4);
  const listed = await listedParticipants(teacher);
  const id = (name: string) => listed.find((p) => p.text.includes(name))!.id;

  // Hands go up in an order; the teacher's queue shows that order.
  for (const page of [noah, ines, lea]) {
    await page.getByTestId('toggle-hand').click();
    await expect(page.getByTestId('toggle-hand')).toHaveAttribute('aria-pressed', 'true');
  }
  await expect(teacher.getByTestId('hand-queue').locator('li')).toHaveText([/Noah/, /Inès/, /Léa/]);
  await teacher.getByTestId('lower-all-hands').click();
  await expect(teacher.getByTestId('hand-queue')).toHaveCount(0);
  await expect(noah.getByTestId('toggle-hand')).toHaveAttribute('aria-pressed', 'false');

  // Léa becomes presenter; the teacher mutes everyone but her.
  await teacher
    .locator(`li[data-participant-id="${id('Léa')}"]`)
    .getByTestId('make-presenter')
    .click();
  await expect(ines.locator(`li[data-participant-id="${id('Léa')}"]`)).toHaveAttribute('data-presenter', 'true');
  const lk = livekitApi();
  const micMuted = async (name: string) =>
    (await lk.listParticipants(meetingIdOf(teacher)))
      .find((p) => p.identity === id(name))
      ?.tracks.find((t) => t.source === TrackSource.MICROPHONE)?.muted;
  await expect.poll(() => micMuted('Noah'), { timeout: 20_000 }).toBe(false);
  await teacher.getByTestId('mute-all-but-presenter').click();
  await expect.poll(() => micMuted('Noah'), { timeout: 15_000 }).toBe(true);
  await expect.poll(() => micMuted('Inès')).toBe(true);
  expect(await micMuted('Léa')).toBe(false);
  expect(await micMuted('M. Leroy')).toBe(false);
  await expect(noah.getByTestId('toggle-mic')).toHaveText(/Unmute/);

  // The teacher locks microphones: Noah's unmute fails and the page says why; LiveKit agrees.
  await teacher.getByTestId('locks-toggle').click();
  await teacher.getByTestId('lock-microphone').check();
  await expect
    .poll(
      async () =>
        (await lk.listParticipants(meetingIdOf(teacher))).find((p) => p.identity === id('Noah'))?.permission
          ?.canPublishSources,
    )
    .not.toContain(TrackSource.MICROPHONE);
  await noah.getByTestId('toggle-mic').click();
  await expect(noah.getByTestId('notice')).toContainText('locked microphones');
  expect(
    (await lk.listParticipants(meetingIdOf(teacher)))
      .find((p) => p.identity === id('Noah'))
      ?.tracks.filter((t) => t.source === TrackSource.MICROPHONE && !t.muted),
  ).toHaveLength(0);
});

test('a banned student is sent out and cannot come back from the same browser, even under another name', async ({
  browser,
}) => {
  const teacher = await person(browser);
  const student = await person(browser);
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Techno');
  await join(teacher, moderatorLink, 'M. Petit', 'microphone');
  await join(student, viewerLink, 'Troll', 'listen-only');
  teacher.once('dialog', (d) => void d.accept());
  await teacher.locator('li', { hasText: 'Troll' }).getByTestId('ban').click();
  await expect(student.getByTestId('bye')).toHaveAttribute('data-reason', 'removed');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(1);

  await student.goto(viewerLink);
  await student.getByTestId('name-input').fill('Gentle Student');
  await student.getByTestId('join').click();
  await expect(student.getByRole('alert')).toContainText('removed you');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(1);
});
