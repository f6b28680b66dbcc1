import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breakout rooms are meetings too: a child meeting names its parent. A room runs one main
 * meeting at a time; its breakout rooms run beside it, so the "one running meeting per room"
 * index now counts main meetings only.
 */
export class BreakoutRooms1796050000000 implements MigrationInterface {
  name = 'BreakoutRooms1796050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE meetings ADD COLUMN parent_id uuid REFERENCES meetings(id)');
    await q.query('DROP INDEX meetings_one_running');
    await q.query(
      'CREATE UNIQUE INDEX meetings_one_running ON meetings (room_id) WHERE ended_at IS NULL AND parent_id IS NULL',
    );
    await q.query('CREATE INDEX meetings_parent ON meetings (parent_id) WHERE parent_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX meetings_parent');
    await q.query('DROP INDEX meetings_one_running');
    await q.query(
      'DELETE FROM meeting_events WHERE meeting_id IN (SELECT id FROM meetings WHERE parent_id IS NOT NULL)',
    );
    await q.query(
      'DELETE FROM notes_updates WHERE meeting_id IN (SELECT id FROM meetings WHERE parent_id IS NOT NULL)',
    );
    await q.query('DELETE FROM meetings WHERE parent_id IS NOT NULL');
    await q.query('ALTER TABLE meetings DROP COLUMN parent_id');
    await q.query('CREATE UNIQUE INDEX meetings_one_running ON meetings (room_id) WHERE ended_at IS NULL');
  }
}
