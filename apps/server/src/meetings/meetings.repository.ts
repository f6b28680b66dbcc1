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

/** An event with the time it happened, as appended (events appended together may differ). */
export interface TimedEvent extends NewEvent {
  at: Date;
}

/** The meeting aggregate: the meeting row and its append-only event log. */
@Injectable()
export class MeetingsRepository {
  constructor(private readonly db: DataSource) {}

  findRunning(roomId: string) {
    return this.db.getRepository(MeetingEntity).findOneBy({ roomId, endedAt: IsNull(), parentId: IsNull() });
  }

  findById(id: string) {
    return this.db.getRepository(MeetingEntity).findOneBy({ id });
  }

  listRunning() {
    return this.db.getRepository(MeetingEntity).findBy({ endedAt: IsNull() });
  }

  /** Opens a breakout room: a meeting of the same room, child of `parent` (a second call changes nothing). */
  async openChild(parent: { id: string; roomId: string }, child: { id: string; name: string }, now: Date) {
    await this.db
      .getRepository(MeetingEntity)
      .createQueryBuilder()
      .insert()
      .values({
        id: child.id,
        roomId: parent.roomId,
        roomName: child.name,
        parentId: parent.id,
        startedAt: now,
        endedAt: null,
        lastSeq: '0',
      })
      .orIgnore()
      .execute();
  }

  /** A meeting's breakout rooms that have not ended. */
  runningChildren(parentId: string) {
    return this.db.getRepository(MeetingEntity).findBy({ parentId, endedAt: IsNull() });
  }

  /** Starts the room's meeting, or returns the one that is already running (even if another request won the race). */
  async startOrGet(room: { id: string; name: string }, now: Date): Promise<MeetingEntity> {
    const repo = this.db.getRepository(MeetingEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .values({
        id: randomUUID(),
        roomId: room.id,
        roomName: room.name,
        parentId: null,
        startedAt: now,
        endedAt: null,
        lastSeq: '0',
      })
      .orIgnore()
      .execute();
    return (await this.findRunning(room.id))!;
  }

  /**
   * Appends events in one statement, so one round trip to PostgreSQL (a statement is its own
   * transaction). The row lock taken by the UPDATE of the meeting orders concurrent appends, so
   * sequence numbers are gap-free per meeting even across server instances. Ending with "close
   * the room" closes it in the same statement: once anyone has heard of the end, the room's links
   * already say it is closed.
   */
  async append(meetingId: string, items: TimedEvent[]): Promise<LoggedEvent[]> {
    const end = items.find((i) => i.event.type === 'meeting.ended');
    const closes = items.some((i) => i.event.type === 'meeting.ended' && i.event.roomClosed);
    const rows = items.map((item) => {
      const { type, ...payload } = item.event;
      return {
        actor: item.actor,
        type,
        version: eventVersion(type),
        payload,
        audience: item.audience ?? null,
        at: item.at.toISOString(),
      };
    });
    const inserted: { seq: string }[] = await this.db.query(
      `WITH m AS (
         UPDATE meetings SET last_seq = last_seq + $2,
           ended_at = CASE WHEN $3::timestamptz IS NOT NULL THEN $3::timestamptz ELSE ended_at END
         WHERE id = $1 RETURNING last_seq, room_id
       ), closed AS (
         UPDATE rooms SET closed_at = $3 FROM m
         WHERE $4::boolean AND rooms.id = m.room_id AND rooms.closed_at IS NULL
         RETURNING rooms.id
       )
       INSERT INTO meeting_events (meeting_id, seq, at, actor, type, version, payload, audience)
       SELECT $1, m.last_seq - $2 + e.ord, (e.item->>'at')::timestamptz, (e.item->>'actor')::uuid, e.item->>'type',
              (e.item->>'version')::smallint, e.item->'payload', NULLIF(e.item->'audience', 'null'::jsonb)
       FROM m, jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(item, ord)
       ORDER BY e.ord
       RETURNING seq`,
      [meetingId, items.length, end ? end.at : null, closes, JSON.stringify(rows)],
    );
    if (inserted.length !== items.length) throw new Error(`meeting ${meetingId} not found: nothing appended`);
    const first = Math.min(...inserted.map((r) => Number(r.seq)));
    return items.map((item, i) => ({
      seq: first + i,
      at: item.at.toISOString(),
      actor: item.actor,
      audience: item.audience ?? null,
      event: item.event,
    }));
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
