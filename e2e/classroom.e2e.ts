import { TrackSource } from 'livekit-server-sdk';
import {
  createRoom,
  expectAudioPlaying,
  expectVideoPlaying,
  join,
  listedParticipants,
  livekitApi,
  meetingIdOf,
  expect,
  test,
} from './kit';

test('a teacher and two students join from links, see and hear each other, and a reload keeps a student in class', async ({
  person,
}) => {
  const teacher = await person();
  const alice = await person();
  const bob = await person();

  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Histoire 3e A');
  await join(teacher, moderatorLink, 'Mme Dupont', 'microphone', { camera: true });
  await join(alice, viewerLink, 'Alice', 'microphone', { camera: true });
  await join(bob, viewerLink, 'Bob', 'listen-only', { camera: true });
  const meetingId = meetingIdOf(teacher);
  expect(meetingIdOf(alice)).toBe(meetingId);

  // Every page lists the three of them with the right roles.
  for (const page of [teacher, alice, bob]) {
    await expect(page.getByTestId('participant-list').locator('li')).toHaveCount(3);
    const listed = await listedParticipants(page);
    const roleOf = (name: string) => listed.find((p) => p.text.includes(name))?.role;
    expect([roleOf('Mme Dupont'), roleOf('Alice'), roleOf('Bob')]).toEqual(['moderator', 'viewer', 'viewer']);
  }
  const listed = await listedParticipants(teacher);
  const idOf = (name: string) => listed.find((p) => p.text.includes(name))!.id;
  const ids = { teacher: idOf('Mme Dupont'), alice: idOf('Alice'), bob: idOf('Bob') };

  // Each page shows the other two participants' cameras playing.
  await expectVideoPlaying(teacher, ids.alice);
  await expectVideoPlaying(teacher, ids.bob);
  await expectVideoPlaying(alice, ids.teacher);
  await expectVideoPlaying(alice, ids.bob);
  await expectVideoPlaying(bob, ids.teacher);
  await expectVideoPlaying(bob, ids.alice);

  // Sound: Bob hears the teacher and Alice; Alice hears the teacher (Bob has no microphone).
  await expectAudioPlaying(bob, 2);
  await expectAudioPlaying(alice, 1);

  // The media server itself: Bob (listen only) publishes no microphone and may not; Alice does.
  const lk = await livekitApi().listParticipants(meetingId);
  const bobInLk = lk.find((p) => p.identity === ids.bob)!;
  const aliceInLk = lk.find((p) => p.identity === ids.alice)!;
  expect(bobInLk.tracks.filter((t) => t.source === TrackSource.MICROPHONE)).toHaveLength(0);
  expect(bobInLk.permission?.canPublishSources).not.toContain(TrackSource.MICROPHONE);
  expect(aliceInLk.tracks.filter((t) => t.source === TrackSource.MICROPHONE)).toHaveLength(1);

  // Alice reloads: she is back, as the same participant, with the same list.
  const before = (await listedParticipants(alice)).map((p) => p.id).sort();
  await alice.reload();
  await expect(alice.getByTestId('participant-list').locator('li')).toHaveCount(3);
  expect((await listedParticipants(alice)).map((p) => p.id).sort()).toEqual(before);
  await expectVideoPlaying(alice, ids.teacher);
  // And the others still list her once.
  await expect(teacher.getByTestId('participant-list').locator(`li[data-participant-id="${ids.alice}"]`)).toHaveCount(
    1,
  );
});
