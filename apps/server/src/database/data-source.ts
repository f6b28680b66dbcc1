import { DataSource } from 'typeorm';
import { Init1795430161443 } from '../../../../migrations/1795430161443-Init';
import { RoomAccess1795433424872 } from '../../../../migrations/1795433424872-RoomAccess';
import { RoomWelcome1795435937829 } from '../../../../migrations/1795435937829-RoomWelcome';
import { PresentationFiles1795440040899 } from '../../../../migrations/1795440040899-PresentationFiles';
import { EventVersions1796033794809 } from '../../../../migrations/1796033794809-EventVersions';
import { PollVoters1796040000000 } from '../../../../migrations/1796040000000-PollVoters';
import { NotesUpdates1796045000000 } from '../../../../migrations/1796045000000-NotesUpdates';
import { BreakoutRooms1796050000000 } from '../../../../migrations/1796050000000-BreakoutRooms';
import { MeetingEntity, MeetingEventEntity, PresentationFileEntity, RoomEntity } from './entities';

/** Migrations in the order they landed; never edit one once it has. */
export const MIGRATIONS = [
  Init1795430161443,
  RoomAccess1795433424872,
  RoomWelcome1795435937829,
  PresentationFiles1795440040899,
  EventVersions1796033794809,
  PollVoters1796040000000,
  NotesUpdates1796045000000,
  BreakoutRooms1796050000000,
];

export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [RoomEntity, MeetingEntity, MeetingEventEntity, PresentationFileEntity],
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: 10 },
  });
}

export async function openDatabase(url: string): Promise<DataSource> {
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
