import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Who has answered each anonymous poll: kept apart from the log that holds the choices, so
 * nothing stored puts a voter next to a choice. One row per poll, its voters a sorted set
 * (sorted by id: neither the row nor a read of it tells who answered first). Read once per
 * poll, then kept in memory; every change is written before its answer is logged.
 */
@Injectable()
export class PollVoters {
  private readonly loaded = new Map<string, Promise<Set<string>>>();

  constructor(private readonly db: DataSource) {}

  async has(pollId: string, participantId: string): Promise<boolean> {
    return (await this.votersOf(pollId)).has(participantId);
  }

  /** How many have answered (present or not). */
  async count(pollId: string): Promise<number> {
    return (await this.votersOf(pollId)).size;
  }

  /** Records that this participant has answered; false if they already had. */
  async add(meetingId: string, pollId: string, participantId: string): Promise<boolean> {
    const voters = await this.votersOf(pollId);
    if (voters.has(participantId)) return false;
    await this.db.query(
      `INSERT INTO poll_voters (poll_id, meeting_id, voters) VALUES ($1, $2, ARRAY[$3::uuid])
       ON CONFLICT (poll_id) DO UPDATE
         SET voters = (SELECT array_agg(DISTINCT v ORDER BY v) FROM unnest(poll_voters.voters || $3::uuid) AS v)`,
      [pollId, meetingId, participantId],
    );
    voters.add(participantId);
    return true;
  }

  /** Forgets a meeting's polls in memory (its end): the rows stay, for the record of who took part. */
  forget(pollIds: readonly string[]): void {
    for (const id of pollIds) this.loaded.delete(id);
  }

  private votersOf(pollId: string): Promise<Set<string>> {
    let set = this.loaded.get(pollId);
    if (!set) {
      set = this.db
        .query(`SELECT voters::text[] AS voters FROM poll_voters WHERE poll_id = $1`, [pollId])
        .then((rows: { voters: string[] }[]) => new Set<string>(rows[0]?.voters ?? []));
      this.loaded.set(pollId, set);
      set.catch(() => this.loaded.delete(pollId));
    }
    return set;
  }
}
