import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rooms, their meetings, and each meeting's append-only event log. */
export class Init1795430161443 implements MigrationInterface {
  name = 'Init1795430161443';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rooms (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        moderator_code_hash text NOT NULL UNIQUE,
        viewer_code_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE meetings (
        id uuid PRIMARY KEY,
        room_id uuid NOT NULL REFERENCES rooms(id),
        room_name text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        last_seq bigint NOT NULL DEFAULT 0
      )`);
    // At most one running meeting per room.
    await q.query('CREATE UNIQUE INDEX meetings_one_running ON meetings (room_id) WHERE ended_at IS NULL');
    await q.query(`
      CREATE TABLE meeting_events (
        meeting_id uuid NOT NULL REFERENCES meetings(id),
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        actor uuid,
        type text NOT NULL,
        payload jsonb NOT NULL,
        audience jsonb,
        PRIMARY KEY (meeting_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE meeting_events');
    await q.query('DROP TABLE meetings');
    await q.query('DROP TABLE rooms');
  }
}
