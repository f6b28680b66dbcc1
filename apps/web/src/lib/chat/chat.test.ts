import { SOCKET, type ChatMessage } from '@estrade/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../classroom/feedback';
import { connectFake } from '../testing/fake-socket';
import { ALICE, at, BOB, CLASS, meeting, said, TEACHER } from '../testing/meeting';
import { ChatStore } from './chat.svelte';

const run: Run = async (action) => (await action(), true);
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

/** Alice's chat, over a connection that received this snapshot. */
function aliceChat(...events: Parameters<typeof meeting>) {
  const { conn, socket } = connectFake(ALICE);
  stops.push(() => conn.close());
  socket.receive(SOCKET.snapshot, { seq: events.length, you: ALICE, state: meeting(...events) });
  return { chat: new ChatStore(conn, run), socket, conn };
}

const message = (id: number, text: string): ChatMessage => ({
  id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  at: at(id),
  from: BOB,
  to: null,
  text,
  replyTo: null,
  mentions: [],
  editedAt: null,
  deleted: false,
  reactions: {},
});

describe('the chat store', () => {
  it('sorts messages into the public chat and one conversation per other participant', () => {
    const { chat } = aliceChat(
      ...CLASS,
      said(BOB, 'Salut'),
      said(TEACHER, 'Alice, viens', ALICE),
      said(ALICE, 'Oui', TEACHER),
    );
    expect(chat.messages(null).map((m) => m.text)).toEqual(['Salut']);
    expect(chat.conversations).toEqual([TEACHER]);
    expect(chat.messages(TEACHER).map((m) => m.text)).toEqual(['Alice, viens', 'Oui']);
  });

  it('counts what others wrote since the conversation was last read', () => {
    const { chat, socket } = aliceChat(...CLASS, said(BOB, 'un'), said(ALICE, 'moi'), said(BOB, 'deux'));
    expect(chat.unread(null)).toBe(2);
    chat.markRead(null);
    expect(chat.unread(null)).toBe(0);
    socket.receive(SOCKET.event, { seq: 99, at: at(9), actor: BOB, event: said(BOB, 'trois') });
    expect(chat.unread(null)).toBe(1);
  });

  it('counts nothing unread in the conversation being read after one replies to others', () => {
    const { chat, socket } = aliceChat(...CLASS, said(BOB, 'une question'));
    chat.open(null);
    socket.receive(SOCKET.event, { seq: 98, at: at(8), actor: ALICE, event: said(ALICE, 'ma réponse') });
    chat.markRead(null);
    expect(chat.unread(null)).toBe(0);
    socket.receive(SOCKET.event, { seq: 99, at: at(9), actor: BOB, event: said(BOB, 'merci') });
    expect(chat.unread(null)).toBe(1);
  });

  it('pages back through history, oldest first, until the server has nothing older', async () => {
    const { chat, socket } = aliceChat(...CLASS, said(BOB, 'récent'));
    const pages = [
      { messages: [message(3, 'trois'), message(2, 'deux')], more: true },
      { messages: [message(1, 'un')], more: false },
    ];
    const asked: unknown[] = [];
    socket.replies[SOCKET.chatHistory] = (body) => (asked.push(body), { ok: true, result: pages.shift() });

    expect(await chat.loadOlder()).toBe(true);
    expect(chat.all.map((m) => m.text)).toEqual(['deux', 'trois', 'récent']);
    const all = await chat.everything(null);
    expect(all.map((m) => m.text)).toEqual(['un', 'deux', 'trois', 'récent']);
    expect(asked).toEqual([
      { before: chat.all[3].id, limit: 50 },
      { before: message(2, '').id, limit: 50 },
    ]);
    expect(chat.moreOlder).toBe(false);
    expect(await chat.loadOlder()).toBe(false);
  });

  it('shows who is typing in the conversation in view, for three seconds', () => {
    const { chat, socket } = aliceChat(...CLASS);
    stops.push(chat.start(() => undefined));
    const now = Date.now();
    socket.receive(SOCKET.chatTyping, { from: BOB, to: null });
    socket.receive(SOCKET.chatTyping, { from: TEACHER, to: ALICE });
    expect(chat.typingIn(null, now)).toEqual([BOB]);
    expect(chat.typingIn(TEACHER, now)).toEqual([TEACHER]);
    expect(chat.typingIn(null, now + 4000)).toEqual([]);
  });

  it('calls for attention on a mention, and on a private message whose conversation is not in view', () => {
    globalThis.document ??= { hidden: false } as Document;
    const { chat, socket } = aliceChat(...CLASS);
    const notified: string[] = [];
    stops.push(chat.start((e) => e.event.type === 'chat.sent' && notified.push(e.event.text)));
    const push = (seq: number, e: ReturnType<typeof said>) =>
      socket.receive(SOCKET.event, { seq, at: at(seq), actor: null, event: e });
    push(10, said(BOB, 'pour tous'));
    push(11, said(BOB, '@Alice regarde', null, [ALICE]));
    push(12, said(TEACHER, 'en privé', ALICE));
    chat.open(TEACHER);
    push(13, said(TEACHER, 'déjà ouvert', ALICE));
    expect(notified).toEqual(['@Alice regarde', 'en privé']);
  });

  it('sends to the conversation in view, as a reply when asked', async () => {
    const { chat, socket } = aliceChat(...CLASS);
    socket.replies[SOCKET.command] = () => ({ ok: true });
    chat.open(BOB);
    await chat.send('coucou', '00000000-0000-4000-8000-000000000042');
    expect(socket.sent.at(-1)).toEqual({
      name: SOCKET.command,
      body: { type: 'chat.send', to: BOB, text: 'coucou', replyTo: '00000000-0000-4000-8000-000000000042' },
    });
  });
});
