import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import {
  fromBase64,
  NOTES_LIMITS,
  toBase64,
  type NotesAwarenessRelay,
  type NotesSync as NotesSyncReply,
  type NotesUpdateRelay,
} from '@estrade/protocol';

// The shared notes' copy in this browser, kept in sync with the server's document over the live
// channel (see libs/protocol/src/notes.ts). Plain code over a narrow channel, so that unit tests
// run two documents against a fake server; the editor only binds to `doc` and `awareness`.

/** What the notes need of the classroom connection (ClassroomConnection has it all). */
export interface NotesChannel {
  readonly you: string;
  request(name: 'notes.sync', body: { stateVector: string }): Promise<NotesSyncReply>;
  transientAcked(name: 'notes.update', body: { update: string }): Promise<void>;
  transient(name: 'notes.awareness', body: { update: string }): void;
  onTransient(name: 'notes.update', handler: (batch: NotesUpdateRelay[]) => void): () => void;
  onTransient(name: 'notes.awareness', handler: (batch: NotesAwarenessRelay[]) => void): () => void;
}

/** Where updates that came from the server are applied: never sent back. */
export const SERVER = 'server';

/**
 * The server's rate is a burst of 60, then one update per 40 ms: keeping one send per 40 ms at
 * most (what a keystroke adds meanwhile is merged into the next) never touches the burst.
 */
export const SEND_EVERY_MS = 40;

/** After a send that failed while connected (timeout, too fast), sync again this much later. */
const RETRY_MS = 1500;

export type NotesSaving = 'saved' | 'saving' | 'unsent';

/** Who may edit: everyone, except viewers other than the presenter under the shared-notes lock. */
export function notesReadOnly(
  state: {
    locks: { sharedNotes: boolean };
    presenterId: string | null;
    participants: Record<string, { role: string }>;
  },
  you: string,
): boolean {
  const me = state.participants[you];
  return state.locks.sharedNotes && me?.role !== 'moderator' && state.presenterId !== you;
}

/** The client ids an awareness update speaks for (its first fields, as y-protocols writes them). */
export function awarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder); // clock
    decoding.readVarString(decoder); // state, as JSON
  }
  return ids;
}

export interface SharedNotesOptions {
  /** Runs `fn` after `ms` (tests pass a manual clock). */
  later?: (fn: () => void, ms: number) => unknown;
  now?: () => number;
  /** A refusal the panel shows (its code: locked, too_large, malformed, too_fast). */
  onRefused?: (code: string) => void;
  /** The saving state changed. */
  onSaving?: (saving: NotesSaving) => void;
}

export class SharedNotes {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  /** Which participant each awareness client is, from the relays' `from`. */
  private readonly clientsOf = new Map<number, string>();
  private pending: Uint8Array[] = [];
  private flushing = false;
  private lastSent = -Infinity;
  private inFlight = 0;
  /** Something was not taken by the server: the next sync sends it. */
  private unsent = false;
  private retry = false;
  private syncing: Promise<void> | null = null;
  private closed = false;
  private readonly stops: (() => void)[] = [];
  private readonly later: (fn: () => void, ms: number) => unknown;
  private readonly now: () => number;

  constructor(
    private readonly channel: NotesChannel,
    private readonly options: SharedNotesOptions = {},
  ) {
    this.later = options.later ?? ((fn, ms) => setTimeout(fn, ms));
    this.now = options.now ?? (() => Date.now());
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === SERVER) return;
      this.pending.push(update);
      this.schedule();
    };
    this.doc.on('update', onUpdate);
    this.stops.push(() => this.doc.off('update', onUpdate));

    const onAwareness = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      if (origin === SERVER) return;
      const changed = [...added, ...updated, ...removed];
      // Others' states change here only when they time out; only ours is ours to tell.
      if (!changed.includes(this.doc.clientID)) return;
      this.sendAwareness();
    };
    this.awareness.on('update', onAwareness);
    this.stops.push(() => this.awareness.off('update', onAwareness));

    this.stops.push(
      channel.onTransient('notes.update', (batch) => {
        const theirs = batch.filter((r) => r.from !== channel.you);
        if (!theirs.length) return;
        Y.transact(
          this.doc,
          () => {
            for (const r of theirs) {
              try {
                Y.applyUpdate(this.doc, fromBase64(r.update), SERVER);
              } catch {
                // A relay we cannot read: the next sync brings whatever it held.
              }
            }
          },
          SERVER,
        );
      }),
      channel.onTransient('notes.awareness', (batch) => {
        for (const r of batch) {
          if (r.from === channel.you) continue;
          try {
            const update = fromBase64(r.update);
            for (const id of awarenessClients(update)) this.clientsOf.set(id, r.from);
            applyAwarenessUpdate(this.awareness, update, SERVER);
          } catch {
            // A malformed caret is no caret.
          }
        }
      }),
    );
  }

  get saving(): NotesSaving {
    if (this.unsent) return 'unsent';
    return this.pending.length || this.inFlight || this.flushing || this.syncing ? 'saving' : 'saved';
  }

  /** Our name and colour, shown at our caret in the others' editors. */
  setUser(user: { name: string; color: string }) {
    this.awareness.setLocalStateField('user', user);
  }

  /**
   * Exchanges what each side lacks: on opening the notes and after every reconnection, so that
   * edits made offline reach the server. Concurrent calls share one exchange.
   */
  sync(): Promise<void> {
    this.syncing ??= this.exchange().finally(() => {
      this.syncing = null;
      this.report();
    });
    this.report();
    return this.syncing;
  }

  private async exchange() {
    const reply = await this.channel.request('notes.sync', {
      stateVector: toBase64(Y.encodeStateVector(this.doc)),
    });
    if (this.closed) return;
    Y.applyUpdate(this.doc, fromBase64(reply.update), SERVER);
    // What we sent but the server never took is in this difference too.
    this.pending = [];
    this.unsent = false;
    const missing = Y.encodeStateAsUpdate(this.doc, fromBase64(reply.stateVector));
    if (!isEmptyUpdate(missing)) await this.send(missing);
    // Others may have dropped our caret while we were away.
    this.sendAwareness();
  }

  /** Local edits go out at most once per SEND_EVERY_MS, merged. */
  private schedule() {
    this.report();
    if (this.flushing) return;
    this.flushing = true;
    const wait = Math.max(0, this.lastSent + SEND_EVERY_MS - this.now());
    this.later(() => this.flush(), wait);
  }

  private flush() {
    this.flushing = false;
    if (this.closed || !this.pending.length) return this.report();
    const updates = this.pending;
    this.pending = [];
    this.lastSent = this.now();
    const merged = Y.mergeUpdates(updates);
    // A big paste: the pieces may each fit where their merge does not.
    const parts = merged.length > NOTES_LIMITS.updateBytes && updates.length > 1 ? updates : [merged];
    for (const part of parts) void this.send(part);
  }

  private async send(update: Uint8Array) {
    this.inFlight++;
    this.report();
    try {
      await this.channel.transientAcked('notes.update', { update: toBase64(update) });
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : 'timeout';
      if (code !== 'offline') this.options.onRefused?.(code);
      // Under the lock the server will never take it; anything else the next sync sends.
      if (code !== 'locked') this.unsent = true;
      if (code !== 'offline' && code !== 'locked') this.retrySoon();
    } finally {
      this.inFlight--;
      this.report();
    }
  }

  private retrySoon() {
    if (this.retry || this.closed) return;
    this.retry = true;
    this.later(() => {
      this.retry = false;
      if (!this.closed) this.sync().catch(() => undefined);
    }, RETRY_MS);
  }

  private sendAwareness() {
    if (this.closed) return;
    const update = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    if (update.length <= NOTES_LIMITS.awarenessBytes)
      this.channel.transient('notes.awareness', { update: toBase64(update) });
  }

  /** Carets of participants no longer in the meeting go away at once, not after 30 s. */
  forgetAbsent(present: (participantId: string) => boolean) {
    const gone = [...this.clientsOf].filter(([, who]) => !present(who)).map(([id]) => id);
    if (!gone.length) return;
    for (const id of gone) this.clientsOf.delete(id);
    removeAwarenessStates(this.awareness, gone, SERVER);
  }

  /** The participant at an awareness client, if a relay told us. */
  participantOf(clientId: number): string | undefined {
    return this.clientsOf.get(clientId);
  }

  private report() {
    this.options.onSaving?.(this.saving);
  }

  close() {
    if (this.closed) return;
    // Our caret leaves the others' editors now rather than when it times out (sent by onAwareness).
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'close');
    this.closed = true;
    for (const stop of this.stops) stop();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** An update that holds nothing: no structs and an empty delete set. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}
