import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every logged event carries the version of its schema, so a log written today still reads
 * after an event changes shape: reading upgrades older versions. Rows written before this
 * migration are version 1.
 */
export class EventVersions1796033794809 implements MigrationInterface {
  name = 'EventVersions1796033794809';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_events ADD COLUMN version smallint NOT NULL DEFAULT 1 CHECK (version > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE meeting_events DROP COLUMN version');
  }
}
