import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who has answered an anonymous poll, kept apart from the log that holds the choices: one row
 * per poll, its voters as a sorted set (no order of arrival, no time, nothing that lines a voter
 * up with a ballot of the log). Named polls need none of it: their answers carry their voter.
 */
export class PollVoters1796040000000 implements MigrationInterface {
  name = 'PollVoters1796040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE poll_voters (
        poll_id uuid PRIMARY KEY,
        meeting_id uuid NOT NULL REFERENCES meetings(id),
        voters uuid[] NOT NULL
      )`);
    await q.query('CREATE INDEX poll_voters_meeting ON poll_voters (meeting_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE poll_voters');
  }
}
