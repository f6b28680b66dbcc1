import { SOCKET, type MeetingEvent } from '@estrade/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n.svelte';
import { connectFake } from '../testing/fake-socket';
import { ALICE, POLL, TEACHER, answered, pollAfter, started } from './fixtures';
import { PollsStore } from './polls.svelte';
import { memoryStorage } from '../testing/storage';

const FILE = 'f'.repeat(64);
const DECK = '00000000-0000-4000-8000-0000000000d1';
const SLIDES: MeetingEvent[] = [
  {
    type: 'presentation.added',
    presentationId: DECK,
    fileId: FILE,
    name: 'quiz.pdf',
    format: 'pdf',
    pages: 2,
    processed: true,
    isDefault: false,
  },
  { type: 'presentation.shown', presentationId: DECK },
];

let close = () => {};
beforeEach(() => (i18n.locale = 'en'));
afterEach(() => {
  close();
  vi.unstubAllGlobals();
});

/** Someone's polls store in a meeting made of these events; the server answers `reply`. */
function store(
  you: string,
  events: MeetingEvent[],
  reply: (c: { type: string }) => { ok: true } | { ok: false; code: string; message: string } = () => ({ ok: true }),
  { storage = memoryStorage(), confirm = (): boolean => true } = {},
) {
  const { conn, socket } = connectFake(you);
  close = () => conn.close();
  socket.receive(SOCKET.snapshot, { seq: 9, you, state: pollAfter(...events) });
  socket.replies[SOCKET.command] = (c) => reply(c as { type: string });
  const polls = new PollsStore(conn, confirm, (f) => `/api/presentations/${f}/text?access=t`, storage);
  const sent = () => socket.sent.filter((s) => s.name === SOCKET.command).map((s) => s.body);
  const poll = () => conn.state!.polls[0];
  const push = (seq: number, event: MeetingEvent) =>
    socket.receive(SOCKET.event, { seq, at: '2026-11-23T10:05:00.000Z', actor: null, event });
  return { polls, sent, poll, push, storage };
}

describe('answering a poll', () => {
  it('sends a named answer as it is, and reads it back from the state', async () => {
    const { polls, sent, poll, push } = store(ALICE, [started()]);
    expect(polls.mine(poll())).toBeNull();
    expect(await polls.answer(poll(), { choices: [1] })).toBe(true);
    expect(sent()).toEqual([{ type: 'poll.answer', pollId: POLL, choices: [1] }]);
    push(10, answered(ALICE, [1]));
    expect(polls.mine(poll())).toEqual({ choices: [1], text: null });
    await polls.answer(poll(), { choices: [0] });
    expect(sent()[1]).toEqual({ type: 'poll.change-answer', pollId: POLL, choices: [0] });
  });

  it('sends an anonymous answer with a receipt kept in the tab first, and the same receipt to change it', async () => {
    const storage = memoryStorage();
    const { polls, sent, poll } = store(ALICE, [started({ anonymous: true })], () => ({ ok: true }), { storage });
    await polls.answer(poll(), { choices: [2] });
    const [first] = sent() as { receipt: string }[];
    expect(first).toEqual({
      type: 'poll.answer',
      pollId: POLL,
      choices: [2],
      receipt: expect.stringMatching(/^[\w-]{32}$/),
    });
    expect(polls.mine(poll())).toEqual({ choices: [2], text: null });
    await polls.answer(poll(), { choices: [0] });
    expect(sent()[1]).toEqual({ type: 'poll.change-answer', pollId: POLL, choices: [0], receipt: first.receipt });
    // A reload of the tab finds its answer and receipt again.
    const again = store(ALICE, [started({ anonymous: true })], () => ({ ok: true }), { storage });
    expect(again.polls.mine(again.poll())).toEqual({ choices: [0], text: null });
  });

  it('keeps the receipt even when the reply is lost, and then changes the answer the server took', async () => {
    const storage = memoryStorage();
    let lost = true;
    let taken = false;
    const { polls, poll, sent } = store(
      ALICE,
      [started({ anonymous: true })],
      (c) => {
        if (c.type === 'poll.answer' && taken) return { ok: false, code: 'conflict', message: 'already' };
        taken = true;
        return lost ? { ok: false, code: 'internal', message: 'lost' } : { ok: true };
      },
      { storage },
    );
    expect(await polls.answer(poll(), { text: 'Jupiter' })).toBe(false);
    expect(polls.mine(poll())).toBeNull();
    const { receipt } = JSON.parse(storage.getItem(`estrade.poll.${POLL}`)!) as { receipt: string };
    lost = false;
    expect(await polls.answer(poll(), { text: 'Saturne' })).toBe(true);
    expect(sent().slice(1)).toEqual([
      { type: 'poll.answer', pollId: POLL, text: 'Saturne', receipt },
      { type: 'poll.change-answer', pollId: POLL, text: 'Saturne', receipt },
    ]);
    expect(polls.mine(poll())).toEqual({ choices: [], text: 'Saturne' });
  });

  it('says a second answer from elsewhere, or one after the end, in words about polls', async () => {
    const conflict = () => ({ ok: false as const, code: 'conflict', message: 'already' });
    const { polls, poll, push } = store(ALICE, [started({ anonymous: true })], conflict);
    await polls.answer(poll(), { choices: [0] });
    expect(polls.notice).toBe('You have already answered this poll (in another tab or browser): that answer counts.');
    push(10, { type: 'poll.stopped', pollId: POLL });
    await polls.answer(poll(), { choices: [0] });
    expect(polls.notice).toBe('The poll has ended.');
  });
});

describe('running a poll', () => {
  it('starts, stops and cancels (after confirming), saying refusals in the polls’ panels', async () => {
    let confirmed = false;
    const { polls, sent, poll } = store(
      TEACHER,
      [started()],
      (c) => (c.type === 'poll.stop' ? { ok: false, code: 'forbidden', message: 'no' } : { ok: true }),
      { confirm: () => confirmed },
    );
    expect(await polls.start({ type: 'poll.start', kind: 'yes-no', multiple: false, anonymous: false })).toBe(true);
    expect(await polls.stop(poll())).toBe(false);
    expect(polls.notice).toBe(i18n.error('forbidden'));
    expect(await polls.cancel(poll())).toBe(false);
    confirmed = true;
    expect(await polls.cancel(poll())).toBe(true);
    expect(polls.notice).toBe('');
    expect(sent().map((c) => (c as { type: string }).type)).toEqual(['poll.start', 'poll.stop', 'poll.cancel']);
  });

  it('publishes in the given language with the size of the page on screen, from the pages’ text', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(
        JSON.stringify({
          pages: ['Q?\nA) x\nB) y', ''],
          sizes: [
            { width: 960, height: 540 },
            { width: 595.28, height: 841.89 },
          ],
        }),
      );
    });
    const { polls, sent, poll } = store(TEACHER, [...SLIDES, started({ presentationId: DECK, page: 2 })]);
    await polls.publish(poll(), 'fr');
    expect(sent()).toEqual([{ type: 'poll.publish', pollId: POLL, lang: 'fr', pageSize: { width: 960, height: 540 } }]);
    // Fetched once: the quick poll reads the same pages.
    expect((await polls.loadPages(FILE))?.pages[0]).toContain('A) x');
    expect(fetched).toEqual([`/api/presentations/${FILE}/text?access=t`]);
  });

  it('publishes without a size when the pages’ text is not ready, and asks again later', async () => {
    let ready = false;
    vi.stubGlobal('fetch', async () =>
      ready
        ? new Response(JSON.stringify({ pages: [''], sizes: [{ width: 0, height: 0 }] }))
        : new Response('{}', { status: 404 }),
    );
    const { polls, sent, poll } = store(TEACHER, [...SLIDES, started({ presentationId: DECK, page: 1 })]);
    await polls.publish(poll(), 'en');
    expect(sent()).toEqual([{ type: 'poll.publish', pollId: POLL, lang: 'en' }]);
    ready = true;
    expect(await polls.loadPages(FILE)).toEqual({ pages: [''], sizes: [{ width: 0, height: 0 }] });
    // A page pdf.js could not measure gives no size either.
    expect(await polls.pageSizeOf()).toBeNull();
  });
});
