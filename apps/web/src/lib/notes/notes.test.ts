import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  NOTES_FRAGMENT,
  toBase64,
  type NotesAwarenessRelay,
  type NotesUpdateRelay,
} from '@estrade/protocol';
import { CommandRefused } from '../classroom/connection.svelte';
import { caretColour, contrast } from './colour';
import { isAllowedLink, linkTarget } from './links';
import { isEmptyUpdate, notesReadOnly, SharedNotes, type NotesChannel } from './shared-notes';

/** The server's part, as the contract states it: one document, updates applied then relayed. */
class FakeServer {
  readonly doc = new Y.Doc();
  readonly clients: FakeChannel[] = [];
  locked = new Set<string>();
  /** Updates of these participants are refused once as unreadable (as the server refuses a poisoned one). */
  refuseOnce = new Set<string>();
  private batch: { name: 'notes.update' | 'notes.awareness'; relay: NotesUpdateRelay }[] = [];

  join(you: string) {
    const c = new FakeChannel(this, you);
    this.clients.push(c);
    return c;
  }

  take(from: string, update: string) {
    if (this.locked.has(from)) throw new CommandRefused('locked', 'locked');
    if (this.refuseOnce.delete(from)) throw new CommandRefused('malformed', 'malformed');
    Y.applyUpdate(this.doc, fromBase64(update));
    this.batch.push({ name: 'notes.update', relay: { from, update } });
  }

  /** The end of a batching frame: relays go to every connected client, the sender included. */
  flush() {
    const batch = this.batch;
    this.batch = [];
    for (const name of ['notes.update', 'notes.awareness'] as const) {
      const items = batch.filter((b) => b.name === name).map((b) => b.relay);
      if (items.length) for (const c of this.clients) if (c.connected) c.deliver(name, items);
    }
  }

  awareness(from: string, update: string) {
    this.batch.push({ name: 'notes.awareness', relay: { from, update } });
  }

  text() {
    return this.doc.getXmlFragment(NOTES_FRAGMENT).toString();
  }
}

class FakeChannel implements NotesChannel {
  connected = true;
  private readonly handlers = new Map<string, Set<(b: never) => void>>();
  constructor(
    private readonly server: FakeServer,
    readonly you: string,
  ) {}

  async request(_name: 'notes.sync', body: { stateVector: string }) {
    if (!this.connected) throw new CommandRefused('offline', 'offline');
    return {
      update: toBase64(Y.encodeStateAsUpdate(this.server.doc, fromBase64(body.stateVector))),
      stateVector: toBase64(Y.encodeStateVector(this.server.doc)),
    };
  }
  async transientAcked(_name: 'notes.update', body: { update: string }) {
    if (!this.connected) throw new CommandRefused('offline', 'offline');
    this.server.take(this.you, body.update);
  }
  transient(_name: 'notes.awareness', body: { update: string }) {
    if (this.connected) this.server.awareness(this.you, body.update);
  }
  onTransient(name: 'notes.update' | 'notes.awareness', handler: (b: never) => void): () => void {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name)!.add(handler);
    return () => this.handlers.get(name)!.delete(handler);
  }
  deliver(name: string, items: NotesUpdateRelay[] | NotesAwarenessRelay[]) {
    for (const h of this.handlers.get(name) ?? []) h(items as never);
  }
}

/** A manual clock for the send schedule. */
function clock() {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    later: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    async advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
      // Let the sends' promises settle.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

function type(notes: SharedNotes, at: number, text: string) {
  const fragment = notes.doc.getXmlFragment(NOTES_FRAGMENT);
  if (fragment.length === 0) fragment.insert(0, [new Y.XmlText()]);
  (fragment.get(0) as Y.XmlText).insert(at, text);
}
const textOf = (notes: SharedNotes) => notes.doc.getXmlFragment(NOTES_FRAGMENT).toString();

async function classOf(...names: string[]) {
  const server = new FakeServer();
  const time = clock();
  const refusals: string[] = [];
  const notes = names.map(
    (n) => new SharedNotes(server.join(n), { now: time.now, later: time.later, onRefused: (c) => refusals.push(c) }),
  );
  await Promise.all(notes.map((x) => x.sync()));
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await time.advance(50);
      server.flush();
    }
  };
  return { server, time, notes, refusals, settle };
}

describe('shared notes sync', () => {
  it('brings two editors typing at once to the same text', async () => {
    const { server, notes, settle } = await classOf('alice', 'noah');
    const [alice, noah] = notes as [SharedNotes, SharedNotes];
    type(alice, 0, 'Bonjour');
    await settle();
    type(alice, 7, ' la classe');
    type(noah, 0, 'Salut ');
    await settle();
    expect(textOf(alice)).toBe(textOf(noah));
    expect(textOf(alice)).toBe(server.text());
    expect(textOf(alice)).toContain('la classe');
    expect(textOf(alice)).toContain('Salut');
    expect(alice.saving).toBe('saved');
  });

  it('merges rapid keystrokes into one update per 40 ms', async () => {
    const { server, notes, time } = await classOf('alice');
    let sent = 0;
    server.doc.on('update', () => sent++);
    for (const ch of 'abcdefghij') type(notes[0]!, 0, ch);
    await time.advance(40);
    expect(sent).toBe(1);
    expect(server.text()).toContain('jihgfedcba');
  });

  it('sends what was typed offline once the connection is back', async () => {
    const { server, notes, settle } = await classOf('alice', 'noah');
    const [alice, noah] = notes as [SharedNotes, SharedNotes];
    type(alice, 0, 'Chapitre 1');
    await settle();
    const aliceLine = server.clients[0]!;
    aliceLine.connected = false;
    type(alice, 10, ' : les fractions');
    type(noah, 0, '# ');
    await settle();
    expect(alice.saving).toBe('unsent');
    expect(server.text()).not.toContain('fractions');

    aliceLine.connected = true;
    await alice.sync();
    await settle();
    expect(textOf(alice)).toBe(server.text());
    expect(textOf(noah)).toBe(server.text());
    expect(server.text()).toContain('fractions');
    expect(server.text()).toContain('# ');
    expect(alice.saving).toBe('saved');
  });

  it('a late joiner receives the whole document', async () => {
    const { server, notes, settle } = await classOf('alice');
    type(notes[0]!, 0, 'Devoirs pour lundi');
    await settle();
    const late = new SharedNotes(server.join('zoe'));
    await late.sync();
    expect(textOf(late)).toContain('Devoirs pour lundi');
  });

  it('says a refusal under the lock, and does not count the edit as unsent', async () => {
    const { server, notes, refusals, settle } = await classOf('noah');
    server.locked.add('noah');
    type(notes[0]!, 0, 'x');
    await settle();
    expect(refusals).toEqual(['locked']);
    expect(notes[0]!.saving).toBe('saved');
  });

  it('syncs again after a refused edit: the edit is sent again and what others wrote comes in', async () => {
    const { server, time, notes, refusals, settle } = await classOf('alice', 'noah');
    const [alice, noah] = [notes[0]!, notes[1]!];
    server.refuseOnce.add('noah');
    type(noah, 0, 'refusé ');
    await settle();
    expect(refusals).toEqual(['malformed']);
    expect(noah.saving).toBe('unsent');
    // Meanwhile Alice's edit reaches the server but not Noah (his connection dropped it).
    const relay = server.clients[1]!;
    relay.connected = false;
    type(alice, 0, 'Alice ');
    await settle();
    relay.connected = true;
    expect(textOf(noah)).not.toContain('Alice');
    await time.advance(1500);
    await settle();
    expect(textOf(noah)).toContain('Alice');
    expect(server.text()).toContain('refusé');
    expect(server.text()).toBe(textOf(noah));
    expect(noah.saving).toBe('saved');
  });

  it('shows the others’ carets and forgets those who left', async () => {
    const { notes, settle } = await classOf('alice', 'noah');
    const [alice, noah] = notes as [SharedNotes, SharedNotes];
    alice.setUser({ name: 'Alice', color: '#123456' });
    await settle();
    const seen = [...noah.awareness.getStates().values()].map((s) => (s.user as { name: string } | undefined)?.name);
    expect(seen).toContain('Alice');
    expect(noah.participantOf(alice.doc.clientID)).toBe('alice');
    noah.forgetAbsent((id) => id !== 'alice');
    expect(noah.awareness.getStates().has(alice.doc.clientID)).toBe(false);
  });

  it('recognises an empty update', () => {
    const doc = new Y.Doc();
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(true);
    doc.getText('t').insert(0, 'a');
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(false);
  });

  it('is read-only for viewers under the lock, never for moderators or the presenter', () => {
    const state = (presenterId: string | null, sharedNotes = true) => ({
      locks: { sharedNotes },
      presenterId,
      participants: { t: { role: 'moderator' }, s: { role: 'viewer' } },
    });
    expect(notesReadOnly(state(null), 's')).toBe(true);
    expect(notesReadOnly(state(null, false), 's')).toBe(false);
    expect(notesReadOnly(state('s'), 's')).toBe(false);
    expect(notesReadOnly(state(null), 't')).toBe(false);
  });
});

describe('caret colours', () => {
  it('are stable and legible on both themes', () => {
    expect(caretColour('p1')).toBe(caretColour('p1'));
    const ids = Array.from({ length: 200 }, (_, i) => `participant-${i}`);
    for (const id of ids) {
      const c = caretColour(id);
      expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c, '#111827')).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(ids.map(caretColour)).size).toBeGreaterThan(50);
  });
});

describe('links in the notes', () => {
  it('accept web and mail addresses only', () => {
    expect(linkTarget('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(linkTarget('example.org/cours')).toBe('https://example.org/cours');
    expect(linkTarget('prof@lycee.fr')).toBe('mailto:prof@lycee.fr');
    expect(linkTarget('mailto:prof@lycee.fr')).toBe('mailto:prof@lycee.fr');
    expect(linkTarget('javascript:alert(1)')).toBeNull();
    expect(linkTarget('data:text/html,<b>x</b>')).toBeNull();
    expect(linkTarget('ftp://example.org')).toBeNull();
    expect(linkTarget('not a link')).toBeNull();
    expect(isAllowedLink('JavaScript:alert(1)')).toBe(false);
    expect(isAllowedLink('http://localhost:3000/x')).toBe(true);
  });
});
