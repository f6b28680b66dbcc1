import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoomEntity } from '../database/entities';

@Injectable()
export class RoomsRepository {
  constructor(private readonly db: DataSource) {}

  async create(room: Omit<RoomEntity, 'closedAt'>): Promise<void> {
    // Every column is given: a room's settings are decided when it is created.
    await this.db.getRepository(RoomEntity).insert({ ...room, closedAt: null });
  }

  /** The room an access code opens, and the role that code gives. */
  async findByCodeHash(hash: string): Promise<{ room: RoomEntity; role: 'moderator' | 'viewer' } | null> {
    const room = await this.db
      .getRepository(RoomEntity)
      .createQueryBuilder('r')
      .where('r.moderator_code_hash = :hash OR r.viewer_code_hash = :hash', { hash })
      .getOne();
    if (!room) return null;
    return { room, role: room.moderatorCodeHash === hash ? 'moderator' : 'viewer' };
  }
}
