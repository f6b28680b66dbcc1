import { TrackSource } from 'livekit-server-sdk';
import { participantAction, createRoom, join, listedParticipants, livekitApi, meetingIdOf, expect, test } from './kit';

test('a teacher runs the class: hands in order, mute all but the presenter, a microphone lock the student cannot get round', async ({
  person,
}) => {
  const teacher = await person();
  const [lea, noah, ines] = [await person(), await person(), await person()];
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Physique 1re');
  await join(teacher, moderatorLink, 'M. Leroy', 'microphone');
  await join(lea, viewerLink, 'Léa', 'microphone');
  await join(noah, viewerLink, 'Noah', 'microphone');
  await join(ines, viewerLink, 'Inès', 'microphone');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(4);
  const listed = await listedParticipants(teacher);
  const id = (name: string) => listed.find((p) => p.text.includes(name))!.id;

  // Hands go up in an order; the teacher's participant list shows that order, numbered.
  for (const page of [noah, ines, lea]) {
    await page.getByTestId('toggle-hand').click();
    await expect(page.getByTestId('toggle-hand')).toHaveAttribute('aria-pressed', 'true');
  }
  const raised = teacher.getByTestId('participant-list').locator('li[data-hand="true"]');
  await expect(raised.getByTestId('participant-name')).toHaveText(['Noah', 'Inès', 'Léa']);
  await expect(raised.getByTestId('hand-raised').locator('small')).toHaveText(['1', '2', '3']);
  await teacher.getByTestId('lower-all-hands').click();
  await expect(raised).toHaveCount(0);
  await expect(teacher.getByTestId('lower-all-hands')).toHaveCount(0);
  for (const page of [noah, ines, lea]) {
    await expect(page.getByTestId('toggle-hand')).toHaveAttribute('aria-pressed', 'false');
  }

  // Léa becomes presenter; the teacher mutes everyone but her.
  await participantAction(teacher.locator(`li[data-participant-id="${id('Léa')}"]`), 'make-presenter');
  await expect(ines.locator(`li[data-participant-id="${id('Léa')}"]`)).toHaveAttribute('data-presenter', 'true');
  const lk = livekitApi();
  const micMuted = async (name: string) =>
    (await lk.listParticipants(meetingIdOf(teacher)))
      .find((p) => p.identity === id(name))
      ?.tracks.find((t) => t.source === TrackSource.MICROPHONE)?.muted;
  // Everyone's microphone is up before the teacher mutes (on a busy machine a page may still be publishing).
  for (const name of ['Noah', 'Inès', 'Léa']) await expect.poll(() => micMuted(name), { timeout: 20_000 }).toBe(false);
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
  // The locked button looks refused and carries the reason (tooltip, description); a click says it too.
  await expect(noah.getByTestId('toggle-mic')).toHaveAttribute('data-refused', 'true');
  await expect(noah.getByTestId('toggle-mic')).toHaveAccessibleDescription('A moderator has locked microphones.');
  await noah.getByTestId('toggle-mic').click();
  await expect(noah.getByTestId('notice')).toContainText('locked microphones');
  expect(
    (await lk.listParticipants(meetingIdOf(teacher)))
      .find((p) => p.identity === id('Noah'))
      ?.tracks.filter((t) => t.source === TrackSource.MICROPHONE && !t.muted),
  ).toHaveLength(0);
});

test('a banned student is sent out and cannot come back from the same browser, even under another name', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Techno');
  await join(teacher, moderatorLink, 'M. Petit', 'microphone');
  await join(student, viewerLink, 'Troll', 'listen-only');
  teacher.once('dialog', (d) => void d.accept());
  await participantAction(teacher.locator('li', { hasText: 'Troll' }), 'ban');
  await expect(student.getByTestId('bye')).toHaveAttribute('data-reason', 'removed');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(1);

  await student.goto(viewerLink);
  await student.getByTestId('name-input').fill('Gentle Student');
  await student.getByTestId('join').click();
  await expect(student.getByRole('alert')).toContainText('removed you');
  await expect(teacher.getByTestId('participant-list').locator('li')).toHaveCount(1);
});

test('the teacher makes a student presenter; her shared screen shows for everyone and stops when the role moves', async ({
  person,
}) => {
  const teacher = await person();
  const sarah = await person();
  const tom = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Exposés');
  await join(teacher, moderatorLink, 'Mme Simon', 'microphone');
  await join(sarah, viewerLink, 'Sarah', 'listen-only');
  await join(tom, viewerLink, 'Tom', 'listen-only');
  const listed = await listedParticipants(teacher);
  const id = (name: string) => listed.find((p) => p.text.includes(name))!.id;

  await expect(sarah.getByTestId('toggle-screen-share')).toHaveCount(0);
  await participantAction(teacher.locator(`li[data-participant-id="${id('Sarah')}"]`), 'make-presenter');
  await sarah.getByTestId('toggle-screen-share').click();

  for (const page of [teacher, tom]) {
    const video = page.getByTestId('screen-share').locator('video');
    await expect(page.getByTestId('screen-share')).toHaveAttribute('data-participant-id', id('Sarah'));
    const frames = () => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
    const start = await frames();
    await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(start + 3);
  }

  // The teacher takes the presenter role back: the share ends everywhere, and in LiveKit.
  await participantAction(teacher.locator(`li[data-participant-id="${id('Mme Simon')}"]`), 'make-presenter');
  await expect(tom.getByTestId('screen-share')).toHaveCount(0, { timeout: 15_000 });
  await expect(sarah.getByTestId('toggle-screen-share')).toHaveCount(0);
  await expect
    .poll(
      async () =>
        (await livekitApi().listParticipants(meetingIdOf(teacher)))
          .flatMap((p) => p.tracks)
          .filter((t) => t.source === TrackSource.SCREEN_SHARE).length,
    )
    .toBe(0);
});

test('a student reacts and steps away (which mutes her); the teacher sees it and clears all statuses', async ({
  person,
}) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Latin');
  await join(teacher, moderatorLink, 'M. Caton', 'microphone');
  await join(student, viewerLink, 'Julia', 'microphone');
  const row = teacher.locator('li', { hasText: 'Julia' });

  await student.getByTestId('reactions').click();
  await student.getByTestId('react-thumbs-up').click();
  await expect(row.getByTestId('reaction')).toHaveAttribute('data-reaction', 'thumbs-up');
  const julia = (await listedParticipants(teacher)).find((p) => p.text.includes('Julia'))!.id;
  const micMuted = async () =>
    (await livekitApi().listParticipants(meetingIdOf(teacher)))
      .find((p) => p.identity === julia)
      ?.tracks.find((t) => t.source === TrackSource.MICROPHONE)?.muted;
  await expect.poll(micMuted, { timeout: 20_000 }).toBe(false);
  await student.getByTestId('more').click();
  await student.getByTestId('toggle-away').click();
  await expect(row.getByTestId('away')).toBeVisible();
  await expect.poll(micMuted).toBe(true);

  await teacher.getByTestId('clear-statuses').click();
  await expect(row.getByTestId('away')).toHaveCount(0);
  await expect(row.getByTestId('reaction')).toHaveCount(0);
});
