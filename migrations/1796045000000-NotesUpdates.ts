import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared notes of each meeting: its Yjs updates in the order the server applied them, now
 * and then compacted into one (the whole document as a single update) that replaces those before.
 */
export class NotesUpdates1796045000000 implements MigrationInterface {
  name = 'NotesUpdates1796045000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notes_updates (
        meeting_id uuid NOT NULL REFERENCES meetings(id),
        id bigserial,
        update bytea NOT NULL,
        PRIMARY KEY (meeting_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notes_updates');
  }
}
