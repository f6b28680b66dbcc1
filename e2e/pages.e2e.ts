import { TrackSource } from 'livekit-server-sdk';
import { participantAction, createRoom, join, listedParticipants, livekitApi, meetingIdOf, expect, test } from './kit';

test('a broken link gets a clear page, in French for a French browser', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'fr-FR' });
  const page = await ctx.newPage();
  await page.goto('/j/AAAAAAAAAAAAAAAAAAAAAA');
  await expect(page.getByTestId('link-error')).toContainText('Ce lien n’est pas valide');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await ctx.close();
});

test('a listen-only student switches to the microphone from the classroom, and LiveKit sees it', async ({ person }) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Espagnol');
  await join(teacher, moderatorLink, 'M. Garcia', 'microphone');
  await join(student, viewerLink, 'Hugo', 'listen-only');
  const hugo = (await listedParticipants(student)).find((p) => p.text.includes('Hugo'))!.id;
  const lk = livekitApi();
  const micOf = async () =>
    (await lk.listParticipants(meetingIdOf(student)))
      .find((p) => p.identity === hugo)
      ?.tracks.filter((t) => t.source === TrackSource.MICROPHONE).length ?? -1;

  await expect(student.getByTestId('switch-microphone')).toBeVisible();
  await expect.poll(micOf, { timeout: 20_000 }).toBe(0);
  await student.getByTestId('switch-microphone').click();
  await expect(teacher.locator(`li[data-participant-id="${hugo}"]`)).toHaveAttribute('data-audio', 'microphone');
  await expect.poll(micOf, { timeout: 15_000 }).toBe(1);

  await student.getByTestId('more').click();
  await student.getByTestId('switch-listen-only').click();
  await expect(teacher.locator(`li[data-participant-id="${hugo}"]`)).toHaveAttribute('data-audio', 'listen-only');
  await expect.poll(micOf, { timeout: 15_000 }).toBe(0);
});

test('the teacher promotes a student, a student leaves, and ending the meeting sends everyone to the end page', async ({
  person,
}) => {
  const teacher = await person();
  const zoe = await person();
  const yanis = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'SVT');
  await join(teacher, moderatorLink, 'Mme Blanc', 'microphone');
  await join(zoe, viewerLink, 'Zoé', 'microphone');
  await join(yanis, viewerLink, 'Yanis', 'listen-only');

  // Promotion shows everywhere, and the new moderator gets the moderator's button.
  await expect(zoe.getByTestId('end-meeting')).toHaveCount(0);
  await participantAction(teacher.locator('li', { hasText: 'Zoé' }), 'set-role');
  await expect(yanis.locator('li', { hasText: 'Zoé' })).toHaveAttribute('data-role', 'moderator');
  await expect(zoe.getByTestId('end-meeting')).toBeVisible();

  // Yanis leaves: he sees the goodbye page, the others see him gone.
  await yanis.getByTestId('leave').click();
  await expect(yanis.getByTestId('bye')).toHaveAttribute('data-reason', 'left');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(2);

  // The teacher ends the meeting for everyone.
  teacher.once('dialog', (d) => void d.accept());
  await teacher.getByTestId('end-meeting').click();
  for (const page of [teacher, zoe]) await expect(page.getByTestId('bye')).toHaveAttribute('data-reason', 'ended');
});

test('the microphone check before joining shows the level; muted and talking, the student is told', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { viewerLink } = await createRoom(teacher, 'Chorale');
  await student.goto(viewerLink);
  await student.getByTestId('name-input').fill('Lucie');
  await student.getByTestId('mic-check-start').click();
  const level = () => student.getByTestId('mic-level').getAttribute('data-level').then(Number);
  await expect.poll(level, { timeout: 10_000 }).toBeGreaterThan(0.01);
  await expect(student.getByTestId('mic-device').locator('option')).not.toHaveCount(0);
  await student.getByTestId('mic-hear-self').check();
  await student.getByTestId('join').click();
  await student.waitForURL(/\/m\//);

  await expect(student.getByTestId('toggle-mic')).toBeEnabled({ timeout: 20_000 });
  await expect(student.getByTestId('toggle-mic')).toHaveText(/Mute/);
  await student.getByTestId('toggle-mic').click();
  await expect(student.getByTestId('toggle-mic')).toHaveText(/Unmute/);
  // The fake microphone keeps making sound: the page says we are muted.
  await expect(student.getByTestId('muted-talking')).toBeVisible({ timeout: 15_000 });
});
