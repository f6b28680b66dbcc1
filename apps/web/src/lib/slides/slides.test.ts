import { SOCKET } from '@estrade/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../classroom/feedback';
import { i18n } from '../i18n/i18n.svelte';
import { connectFake } from '../testing/fake-socket';
import { ALICE } from '../testing/meeting';
import { SlidesStore } from './slides.svelte';

const run: Run = async (action) => (await action(), true);
const FILE = 'a'.repeat(64);
let close: () => void;
function slidesStore() {
  const { conn, socket } = connectFake(ALICE);
  close = () => conn.close();
  return { slides: new SlidesStore(conn, run), socket };
}
beforeEach(() => (i18n.locale = 'en'));
afterEach(() => close());

describe('the slides store', () => {
  it('has no file URL worth asking for until the files token arrives', async () => {
    const { slides, socket } = slidesStore();
    expect(slides.ready).toBe(false);
    socket.replies[SOCKET.presentationAccess] = () => ({
      ok: true,
      result: { access: 'tok/en+1', limits: { maxBytes: 50 * 1024 * 1024, maxPages: 300, conversionSeconds: 60 } },
    });
    await slides.refreshAccess();
    expect(slides.ready).toBe(true);
    expect(slides.limits?.maxPages).toBe(300);
    expect(slides.url({ fileId: FILE }, 'thumbnails/2')).toBe(
      `/api/presentations/${FILE}/thumbnails/2?access=tok%2Fen%2B1`,
    );
  });

  it('follows the server’s processing progress per file', () => {
    const { slides, socket } = slidesStore();
    const stop = slides.start();
    socket.receive(SOCKET.presentationProgress, { fileId: FILE, done: 3, total: 14 });
    socket.receive(SOCKET.presentationProgress, { fileId: FILE, done: 5, total: 14 });
    socket.receive(SOCKET.presentationProgress, { fileId: 'not a file id', done: 'x' });
    expect(slides.progress).toEqual({ [FILE]: { fileId: FILE, done: 5, total: 14 } });
    stop();
    socket.receive(SOCKET.presentationProgress, { fileId: FILE, done: 6, total: 14 });
    expect(slides.progress[FILE].done).toBe(5);
  });

  it('refuses a file over the limit before sending it, saying the limit', async () => {
    const { slides, socket } = slidesStore();
    socket.replies[SOCKET.presentationAccess] = () => ({
      ok: true,
      result: { access: 't', limits: { maxBytes: 1024 * 1024, maxPages: 300, conversionSeconds: 60 } },
    });
    await slides.refreshAccess();
    await slides.upload([new File([new Uint8Array(2 * 1024 * 1024)], 'big.pdf')]);
    expect(slides.uploads).toMatchObject([
      { name: 'big.pdf', phase: 'failed', error: 'This file is larger than the 1 MB limit.' },
    ]);
    i18n.locale = 'fr';
    expect(slides.errorText('too_large')).toBe('Ce fichier dépasse la taille maximale de 1 Mo.');
  });
});
