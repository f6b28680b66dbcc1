import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Who has answered each anonymous poll: kept apart from the log that holds the choices, so
 * nothing stored puts a voter next to a choice. One row per poll, its voters a sorted set
 * (sorted by id: neither the row nor a read of it tells who answered first). Read once per
 * poll, then kept in memory. New voters are written in batches, one statement per poll and
 * round trip, and each answer is logged only once its voter is stored.
 */
@Injectable()
export class PollVoters {
  private readonly loaded = new Map<string, Promise<Set<string>>>();
  /** The loaded sets, to change at once (a poll's set is loaded by `has` before any `add`). */
  private readonly ready = new Map<string, Set<string>>();
  /** Per poll: voters not yet written, and the write in flight. */
  private readonly pending = new Map<string, { meetingId: string; voters: string[]; done: Deferred[] }>();
  private readonly writing = new Map<string, Promise<void>>();

  constructor(private readonly db: DataSource) {}

  async has(pollId: string, participantId: string): Promise<boolean> {
    return (await this.votersOf(pollId)).has(participantId);
  }

  /**
   * Records that this participant has answered: at once in memory (a second answer is refused
   * from now on), and in the database by the promise returned, to pass as the answer's `before`.
   * Call only after `has` said no (it loads the poll's voters).
   */
  add(meetingId: string, pollId: string, participantId: string): Promise<void> {
    const set = this.ready.get(pollId);
    if (!set) throw new Error("PollVoters.add before has: the poll's voters are not loaded");
    set.add(participantId);
    const batch = this.pending.get(pollId) ?? { meetingId, voters: [], done: [] };
    this.pending.set(pollId, batch);
    batch.voters.push(participantId);
    const stored = new Promise<void>((resolve, reject) => batch.done.push({ resolve, reject }));
    this.flush(pollId);
    return stored;
  }

  private flush(pollId: string): void {
    const batch = this.pending.get(pollId);
    if (!batch || this.writing.has(pollId)) return;
    this.pending.delete(pollId);
    const write = this.db
      .query(
        `INSERT INTO poll_voters (poll_id, meeting_id, voters) VALUES ($1, $2, $3::uuid[])
         ON CONFLICT (poll_id) DO UPDATE
           SET voters = (SELECT array_agg(DISTINCT v ORDER BY v) FROM unnest(poll_voters.voters || $3::uuid[]) AS v)`,
        [pollId, batch.meetingId, [...new Set(batch.voters)].sort()],
      )
      .then(
        () => batch.done.forEach((d) => d.resolve()),
        (err: unknown) => {
          // Not stored, so their answers are not logged either: they may answer again.
          const set = this.ready.get(pollId);
          for (const v of batch.voters) set?.delete(v);
          batch.done.forEach((d) => d.reject(err));
        },
      )
      .finally(() => {
        this.writing.delete(pollId);
        this.flush(pollId);
      });
    this.writing.set(pollId, write);
  }

  /** Forgets these polls in memory (their meeting ended); what is stored stays. */
  forget(pollIds: readonly string[]): void {
    for (const id of pollIds) {
      this.loaded.delete(id);
      this.ready.delete(id);
    }
  }

  private votersOf(pollId: string): Promise<Set<string>> {
    let set = this.loaded.get(pollId);
    if (!set) {
      set = this.db
        .query(`SELECT voters::text[] AS voters FROM poll_voters WHERE poll_id = $1`, [pollId])
        .then((rows: { voters: string[] }[]) => {
          const voters = new Set<string>(rows[0]?.voters ?? []);
          this.ready.set(pollId, voters);
          return voters;
        });
      this.loaded.set(pollId, set);
      set.catch(() => this.loaded.delete(pollId));
    }
    return set;
  }
}

interface Deferred {
  resolve: () => void;
  reject: (err: unknown) => void;
}
