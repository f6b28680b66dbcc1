import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A room's welcome message, shown first in the chat. */
export class RoomWelcome1795435937829 implements MigrationInterface {
  name = 'RoomWelcome1795435937829';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rooms ADD COLUMN welcome_message text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rooms DROP COLUMN welcome_message');
  }
}
