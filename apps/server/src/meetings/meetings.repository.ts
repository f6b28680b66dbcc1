import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { eventVersion, readEvent, type Audience, type LoggedEvent, type MeetingEvent } from '@estrade/protocol';
import { MeetingEntity, MeetingEventEntity } from '../database/entities';

export interface NewEvent {
  actor: string | null;
  event: MeetingEvent;
  audience?: Audience | null;
}

/** The meeting aggregate: the meeting row and its append-only event log. */
@Injectable()
export class MeetingsRepository {
  constructor(private readonly db: DataSource) {}

  findRunning(roomId: string) {
    return this.db.getRepository(MeetingEntity).findOneBy({ roomId, endedAt: IsNull() });
  }

  findById(id: string) {
    return this.db.getRepository(MeetingEntity).findOneBy({ id });
  }

  listRunning() {
    return this.db.getRepository(MeetingEntity).findBy({ endedAt: IsNull() });
  }

  /** Starts the room's meeting, or returns the one that is already running (even if another request won the race). */
  async startOrGet(room: { id: string; name: string }, now: Date): Promise<MeetingEntity> {
    const repo = this.db.getRepository(MeetingEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .values({ id: randomUUID(), roomId: room.id, roomName: room.name, startedAt: now, endedAt: null, lastSeq: '0' })
      .orIgnore()
      .execute();
    return (await this.findRunning(room.id))!;
  }

  /**
   * Appends events in one transaction. The row lock taken by the UPDATE orders concurrent
   * appends, so sequence numbers are gap-free per meeting even across server instances.
   */
  async append(meetingId: string, items: NewEvent[], at: Date): Promise<LoggedEvent[]> {
    return this.db.transaction(async (tx) => {
      const rows: { last_seq: string }[] = await tx.query(
        `UPDATE meetings SET last_seq = last_seq + $2,
           ended_at = CASE WHEN $3::boolean THEN $4::timestamptz ELSE ended_at END
         WHERE id = $1 RETURNING last_seq`,
        [meetingId, items.length, items.some((i) => i.event.type === 'meeting.ended'), at],
      );
      // Raw UPDATE ... RETURNING through TypeORM's postgres driver answers [rows, count].
      const row = Array.isArray(rows[0]) ? (rows[0] as unknown as { last_seq: string }[])[0] : rows[0];
      // Ending with "close the room" closes it in the same transaction: once anyone has heard
      // of the end, the room's links already say it is closed.
      if (items.some((i) => i.event.type === 'meeting.ended' && i.event.roomClosed)) {
        await tx.query(
          `UPDATE rooms SET closed_at = $2 WHERE id = (SELECT room_id FROM meetings WHERE id = $1) AND closed_at IS NULL`,
          [meetingId, at],
        );
      }
      const first = Number(row.last_seq) - items.length + 1;
      const logged = items.map((item, i) => ({
        seq: first + i,
        at: at.toISOString(),
        actor: item.actor,
        audience: item.audience ?? null,
        event: item.event,
      }));
      await tx.getRepository(MeetingEventEntity).insert(
        logged.map((l) => {
          const { type, ...payload } = l.event;
          return {
            meetingId,
            seq: String(l.seq),
            at,
            actor: l.actor,
            type,
            version: eventVersion(type),
            payload,
            audience: l.audience,
          };
        }),
      );
      return logged;
    });
  }

  async eventsAfter(meetingId: string, seq: number): Promise<LoggedEvent[]> {
    const rows = await this.db
      .getRepository(MeetingEventEntity)
      .createQueryBuilder('e')
      .where('e.meeting_id = :meetingId AND e.seq > :seq', { meetingId, seq })
      .orderBy('e.seq', 'ASC')
      .getMany();
    // Events are read as today's schema: older versions are upgraded on the way.
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at.toISOString(),
      actor: r.actor,
      audience: r.audience as Audience | null,
      event: readEvent({ type: r.type, version: r.version, payload: r.payload as Record<string, unknown> }),
    }));
  }
}
