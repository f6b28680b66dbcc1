import { SOCKET, type ChatMessage, type ChatReaction, type LoggedEvent } from '@estrade/protocol';
import type { ClassroomConnection } from '../classroom/connection.svelte';
import type { Run } from '../classroom/feedback';

/** A conversation: the public chat (null) or a private one with another participant. */
export type ConversationId = string | null;
const key = (c: ConversationId) => c ?? 'public';

/**
 * The chat as this participant sees it: conversations, unread counts, older pages, who is typing.
 * Messages come from the meeting state (the same fold as everything else); older pages are
 * fetched on demand and kept here.
 */
export class ChatStore {
  active = $state<ConversationId>(null);
  /** Private conversations opened in this tab, besides those that already have messages. */
  opened = $state<string[]>([]);
  older = $state<ChatMessage[]>([]);
  moreOlder = $state(true);
  typing = $state<Record<string, number>>({});
  sound = $state(false);
  private readUpTo = $state<Record<string, string>>({});
  private loadingOlder = false;

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
  ) {}

  /** Starts listening; returns a function that stops. */
  start(onNotify: (e: LoggedEvent) => void): () => void {
    const offEvent = this.conn.onEvent((e) => {
      if (e.event.type !== 'chat.sent' || e.event.from === this.conn.you) return;
      // A mention always calls for attention; a private message when its conversation is not in view.
      const mentioned = e.event.mentions.includes(this.conn.you);
      const elsewhere = this.active !== e.event.from || document.hidden;
      if (mentioned || (e.event.to === this.conn.you && elsewhere)) onNotify(e);
    });
    const offTyping = this.conn.onTransient(SOCKET.chatTyping, (t) => {
      this.typing = { ...this.typing, [`${t.from}|${key(t.to)}`]: Date.now() + 3000 };
    });
    return () => {
      offEvent();
      offTyping();
    };
  }

  /** Every message this participant may read, oldest first. */
  get all(): ChatMessage[] {
    const recent = this.conn.state?.chat ?? [];
    const seen = new Set(recent.map((m) => m.id));
    return [...this.older.filter((m) => !seen.has(m.id)), ...recent];
  }

  conversationOf(m: ChatMessage): ConversationId {
    if (m.to === null) return null;
    return m.from === this.conn.you ? m.to : m.from;
  }

  messages(c: ConversationId): ChatMessage[] {
    return this.all.filter((m) => this.conversationOf(m) === c);
  }

  /** Private conversations: those with messages and those opened here, in order of appearance. */
  get conversations(): string[] {
    const ids: string[] = [];
    for (const m of this.all) {
      const c = this.conversationOf(m);
      if (c && !ids.includes(c)) ids.push(c);
    }
    for (const id of this.opened) if (!ids.includes(id)) ids.push(id);
    return ids;
  }

  /**
   * What others wrote after the last message read. The mark is found among all the
   * conversation's messages: it is often one's own reply, which others' messages do not include.
   */
  unread(c: ConversationId): number {
    const list = this.messages(c);
    const last = this.readUpTo[key(c)];
    const at = last ? list.findIndex((m) => m.id === last) : -1;
    return list.slice(at + 1).filter((m) => m.from !== this.conn.you && !m.deleted).length;
  }

  markRead(c: ConversationId) {
    const list = this.messages(c);
    const last = list.at(-1);
    if (last && this.readUpTo[key(c)] !== last.id) this.readUpTo = { ...this.readUpTo, [key(c)]: last.id };
  }

  open(c: ConversationId) {
    if (c && !this.opened.includes(c)) this.opened = [...this.opened, c];
    this.active = c;
    this.markRead(c);
  }

  /** Who is typing in this conversation right now (not us). */
  typingIn(c: ConversationId, now: number): string[] {
    return Object.entries(this.typing)
      .filter(([k, until]) => {
        const [from, to] = k.split('|');
        if (until <= now || from === this.conn.you) return false;
        return c === null ? to === 'public' : from === c && to === this.conn.you;
      })
      .map(([k]) => k.split('|')[0]);
  }

  sendTyping(c: ConversationId) {
    this.conn.transient(SOCKET.chatTyping, { to: c });
  }

  /** Sends to the conversation in view, as a reply to `replyTo` if given; true once the server took it. */
  send(text: string, replyTo?: string) {
    const to = this.active;
    return this.run(() => this.conn.send({ type: 'chat.send', to, text, ...(replyTo ? { replyTo } : {}) }));
  }

  edit(messageId: string, text: string) {
    return this.run(() => this.conn.send({ type: 'chat.edit', messageId, text }));
  }

  remove(messageId: string) {
    return this.run(() => this.conn.send({ type: 'chat.delete', messageId }));
  }

  react(messageId: string, reaction: ChatReaction) {
    return this.run(() => this.conn.send({ type: 'chat.react', messageId, reaction }));
  }

  /** Clears the public chat for everyone (moderators). */
  clear() {
    return this.run(() => this.conn.send({ type: 'chat.clear' }));
  }

  /** Fetches the page before the oldest message held; false once there is nothing older. */
  async loadOlder(): Promise<boolean> {
    if (this.loadingOlder || !this.moreOlder) return false;
    this.loadingOlder = true;
    try {
      const before = this.all[0]?.id ?? null;
      if (!before) return (this.moreOlder = false);
      const page = await this.conn.request(SOCKET.chatHistory, { before, limit: 50 });
      this.older = [...[...page.messages].reverse(), ...this.older];
      this.moreOlder = page.more;
      return page.more;
    } finally {
      this.loadingOlder = false;
    }
  }

  /** The whole conversation, for export: loads every older page first. */
  async everything(c: ConversationId): Promise<ChatMessage[]> {
    while (this.moreOlder && (await this.loadOlder()));
    return this.messages(c);
  }
}
