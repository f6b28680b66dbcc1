import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files uploaded for presentations, named by the SHA-256 of their bytes: the same file uploaded
 * again, in any room, reuses what was converted and processed.
 */
export class PresentationFiles1795440040899 implements MigrationInterface {
  name = 'PresentationFiles1795440040899';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE presentation_files (
        file_id text PRIMARY KEY CHECK (file_id ~ '^[0-9a-f]{64}$'),
        format text NOT NULL,
        bytes bigint NOT NULL,
        pages integer NOT NULL CHECK (pages > 0),
        created_at timestamptz NOT NULL,
        processed_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE presentation_files');
  }
}
