import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { NOTES_LIMITS } from '@estrade/protocol';
import { logger } from '../logging/logger';
import { CommandError } from '../meetings/command-error';
import { admit } from './notes-admission';

/** Updates stored since the last compaction beyond which the document is stored whole again. */
const COMPACT_AFTER = 500;

interface LiveDocument {
  doc: Y.Doc;
  /** Characters of text in the document, counted exactly now and then, estimated between. */
  chars: number;
  /** Bytes of the document as a full sync sends it, likewise (an update's length is its estimate). */
  bytes: number;
  /** When chars and bytes were last counted exactly. */
  countedAt: number;
  /** Updates stored since the document was last stored whole. */
  sinceCompaction: number;
  /** Accepted updates waiting to be stored, and the write in flight. */
  waiting: Uint8Array[];
  writing: Promise<void> | null;
}

/**
 * Counting a full document exactly takes tens of milliseconds (60–120 ms for 1.5 MB here): near
 * the limits it is done at most this often, the estimates (which only overcount) deciding between.
 */
const RECOUNT_MS = 2000;

/**
 * The shared notes of each meeting: a Yjs document held in memory, every accepted update stored
 * in PostgreSQL (in batches, one statement per round trip) and compacted into one now and then.
 * An update is checked before it touches the document (its size, that it decodes, what it refers
 * to and where it puts elements, what it adds), then applied on its own: one editor's bad update
 * is refused alone and never touches anyone else's.
 */
@Injectable()
export class NotesDocuments {
  private readonly docs = new Map<string, Promise<LiveDocument>>();

  constructor(private readonly db: DataSource) {}

  /** The meeting's document, loaded from its stored updates on first use. */
  document(meetingId: string): Promise<Y.Doc> {
    return this.load(meetingId).then((d) => d.doc);
  }

  /** What a client with this state vector lacks, and the server's state vector. */
  async sync(meetingId: string, stateVector: Uint8Array): Promise<{ update: Uint8Array; stateVector: Uint8Array }> {
    const { doc } = await this.load(meetingId);
    let update: Uint8Array;
    try {
      update = Y.encodeStateAsUpdate(doc, stateVector);
    } catch {
      throw new CommandError('malformed', 'Malformed state vector');
    }
    return { update, stateVector: Y.encodeStateVector(doc) };
  }

  /** Applies a client's update, or refuses it and changes nothing. */
  async apply(meetingId: string, update: Uint8Array): Promise<void> {
    if (update.length > NOTES_LIMITS.updateBytes) {
      throw new CommandError('too_large', `An edit of the notes is at most ${NOTES_LIMITS.updateBytes / 1024} KB`);
    }
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(update);
      if (!wellFormed(update)) throw new Error('not as Yjs writes it');
    } catch {
      throw new CommandError('malformed', 'Malformed update of the notes');
    }
    const d = await this.load(meetingId);
    // From here on nothing awaits: the update is checked against the document it is applied to.
    admit(d.doc, decoded);
    const added = insertedChars(decoded);
    // Deleting is always allowed: it is how full notes make room.
    if (decoded.structs.length > 0) this.makeRoom(d, added, update.length);
    const before = Y.encodeStateVector(d.doc);
    try {
      Y.applyUpdate(d.doc, update, 'client');
    } catch (err) {
      // Admitted updates do not throw; should one, what it changed is stored as it is, so that
      // the stored notes stay those in memory (the others get it at their next sync).
      logger.error({ err, meetingId }, 'an admitted update of the notes failed to apply');
      const after = Y.encodeStateVector(d.doc);
      if (after.length !== before.length || after.some((b, i) => b !== before[i])) {
        d.waiting.push(Y.encodeStateAsUpdate(d.doc, before));
        this.write(meetingId, d);
      }
      throw new CommandError('malformed', 'Malformed update of the notes');
    }
    d.chars += added;
    d.bytes += update.length;
    d.waiting.push(update);
    this.write(meetingId, d);
  }

  /** Refuses an update that would take the notes over their limits, counting exactly if the estimates say so. */
  private makeRoom(d: LiveDocument, chars: number, bytes: number) {
    const fits = () => d.chars + chars <= NOTES_LIMITS.documentChars && d.bytes + bytes <= NOTES_LIMITS.documentBytes;
    if (fits()) return;
    const now = Date.now();
    if (now - d.countedAt >= RECOUNT_MS) {
      d.chars = textChars(d.doc);
      d.bytes = Y.encodeStateAsUpdate(d.doc).length;
      d.countedAt = now;
    }
    if (d.chars + chars > NOTES_LIMITS.documentChars) {
      throw new CommandError('too_large', 'The notes are limited to 1,000,000 characters: remove some text first');
    }
    if (d.bytes + bytes > NOTES_LIMITS.documentBytes) {
      throw new CommandError(
        'too_large',
        `The notes are limited to ${NOTES_LIMITS.documentBytes / 1024 / 1024} MB with their formatting: remove some first`,
      );
    }
  }

  /** Forgets a meeting's document in memory (its end), once what it holds is stored. */
  async forget(meetingId: string): Promise<void> {
    const d = await this.docs.get(meetingId)?.catch(() => null);
    if (!d) return;
    while (d.writing) await d.writing;
    this.docs.delete(meetingId);
    d.doc.destroy();
  }

  private write(meetingId: string, d: LiveDocument): void {
    if (d.writing || d.waiting.length === 0) return;
    const batch = d.waiting.splice(0);
    const compact = d.sinceCompaction + batch.length >= COMPACT_AFTER;
    const stored = compact ? this.compact(meetingId, d.doc) : this.append(meetingId, batch);
    d.writing = stored
      .then(
        () => {
          d.sinceCompaction = compact ? 0 : d.sinceCompaction + batch.length;
        },
        (err: unknown) => {
          // Kept in memory and written with the next batch.
          logger.error({ err, meetingId }, 'the notes could not be stored');
          d.waiting.unshift(...batch);
        },
      )
      .finally(() => {
        d.writing = null;
        this.write(meetingId, d);
      });
  }

  private append(meetingId: string, updates: Uint8Array[]): Promise<unknown> {
    return this.db.query(`INSERT INTO notes_updates (meeting_id, update) SELECT $1, unnest($2::bytea[])`, [
      meetingId,
      updates.map((u) => Buffer.from(u)),
    ]);
  }

  /** The whole document as one update, in place of every update stored before it. */
  private compact(meetingId: string, doc: Y.Doc): Promise<unknown> {
    return this.db.transaction(async (q) => {
      const [{ id }] = await q.query(
        `INSERT INTO notes_updates (meeting_id, update) VALUES ($1, $2) RETURNING id::text AS id`,
        [meetingId, Buffer.from(Y.encodeStateAsUpdate(doc))],
      );
      await q.query(`DELETE FROM notes_updates WHERE meeting_id = $1 AND id < $2`, [meetingId, id]);
    });
  }

  private load(meetingId: string): Promise<LiveDocument> {
    let d = this.docs.get(meetingId);
    if (!d) {
      d = this.read(meetingId);
      this.docs.set(meetingId, d);
      d.catch(() => this.docs.delete(meetingId));
    }
    return d;
  }

  private async read(meetingId: string): Promise<LiveDocument> {
    const rows: { update: Buffer }[] = await this.db.query(
      `SELECT update FROM notes_updates WHERE meeting_id = $1 ORDER BY id`,
      [meetingId],
    );
    const doc = new Y.Doc({ gc: true });
    for (const r of rows) {
      try {
        Y.applyUpdate(doc, r.update, 'stored');
      } catch (err) {
        // Stored before updates were admitted as they are now: the rest of the notes still open.
        logger.warn({ err, meetingId }, 'a stored update of the notes failed to apply');
      }
    }
    return {
      doc,
      chars: textChars(doc),
      bytes: Y.encodeStateAsUpdate(doc).length,
      countedAt: Date.now(),
      sinceCompaction: rows.length,
      waiting: [],
      writing: null,
    };
  }
}

/**
 * Whether an update is exactly as Yjs writes one: read and written again it comes out the same.
 * Decoding alone accepts bytes that merely start like an update (random bytes often do).
 */
function wellFormed(update: Uint8Array): boolean {
  const again = Y.convertUpdateFormatV2ToV1(Y.convertUpdateFormatV1ToV2(update));
  return again.length === update.length && again.every((b, i) => b === update[i]);
}

/** Characters of text an update inserts (what it deletes is not subtracted). */
function insertedChars(decoded: { structs: unknown[] }): number {
  let n = 0;
  for (const s of decoded.structs) if (s instanceof Y.Item && s.content instanceof Y.ContentString) n += s.length;
  return n;
}

/** Characters of text in the document now. */
export function textChars(doc: Y.Doc): number {
  let n = 0;
  for (const structs of doc.store.clients.values()) {
    for (const s of structs)
      if (s instanceof Y.Item && !s.deleted && s.content instanceof Y.ContentString) n += s.length;
  }
  return n;
}
