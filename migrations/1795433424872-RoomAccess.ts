import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Access settings of a room: password, guest policy, participant and duration limits. */
export class RoomAccess1795433424872 implements MigrationInterface {
  name = 'RoomAccess1795433424872';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE rooms
        ADD COLUMN password_hash text,
        ADD COLUMN guest_policy text NOT NULL DEFAULT 'always-accept',
        ADD COLUMN max_participants integer,
        ADD COLUMN max_duration_minutes integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE rooms
        DROP COLUMN password_hash,
        DROP COLUMN guest_policy,
        DROP COLUMN max_participants,
        DROP COLUMN max_duration_minutes`);
  }
}
