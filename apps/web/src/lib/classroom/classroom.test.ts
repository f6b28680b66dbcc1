import { SOCKET } from '@estrade/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte';
import type { Media } from '../media/media.svelte';
import { connectFake } from '../testing/fake-socket';
import { CLASS, meeting, TEACHER } from '../testing/meeting';
import { ClassroomContext } from './classroom.svelte';

let close = () => {};
beforeEach(() => (i18n.locale = 'en'));
afterEach(() => close());

/** The teacher's classroom; the server refuses the commands `refused` names, with `forbidden`. */
function teacherRoom(...refused: string[]) {
  const { conn, socket } = connectFake(TEACHER);
  close = () => conn.close();
  socket.receive(SOCKET.snapshot, { seq: 3, you: TEACHER, state: meeting(...CLASS) });
  socket.replies[SOCKET.command] = (c) =>
    refused.includes((c as { type: string }).type) ? { ok: false, code: 'forbidden', message: 'no' } : { ok: true };
  return new ClassroomContext(conn, {} as Media, () => true);
}

describe('where a refusal is said', () => {
  it('says a refused slides command beside the slides, not above the action bar', async () => {
    const room = teacherRoom('presentation.show');
    expect(await room.slides.show('00000000-0000-4000-8000-0000000000ff')).toBe(false);
    expect(room.slidesNotice).toBe(i18n.error('forbidden'));
    expect(room.notice).toBe('');
  });

  it('clears the slides’ refusal when the next slides command goes through', async () => {
    const room = teacherRoom('presentation.show');
    await room.slides.show('00000000-0000-4000-8000-0000000000ff');
    expect(await room.slides.setDownloadable('00000000-0000-4000-8000-0000000000ff', true)).toBe(true);
    expect(room.slidesNotice).toBe('');
  });

  it('says the other refusals above the action bar, in the same words', async () => {
    const room = teacherRoom('hand.raise');
    expect(await room.controls.toggleHand()).toBe(false);
    expect(room.notice).toBe(i18n.error('forbidden'));
    expect(room.slidesNotice).toBe('');
  });
});
