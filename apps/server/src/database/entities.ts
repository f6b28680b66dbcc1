import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('rooms')
export class RoomEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'moderator_code_hash' }) moderatorCodeHash!: string;
  @Column('text', { name: 'viewer_code_hash' }) viewerCodeHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { name: 'password_hash', nullable: true }) passwordHash!: string | null;
  @Column('text', { name: 'guest_policy' }) guestPolicy!: 'always-accept' | 'ask-moderator' | 'always-deny';
  @Column('integer', { name: 'max_participants', nullable: true }) maxParticipants!: number | null;
  @Column('integer', { name: 'max_duration_minutes', nullable: true }) maxDurationMinutes!: number | null;
  @Column('text', { name: 'welcome_message', nullable: true }) welcomeMessage!: string | null;
}

@Entity('meetings')
export class MeetingEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'room_id' }) roomId!: string;
  @Column('text', { name: 'room_name' }) roomName!: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
  /** A breakout room's main meeting; null for a main meeting. */
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  // bigint comes back from pg as a string; the repositories convert.
  @Column('bigint', { name: 'last_seq' }) lastSeq!: string;
}

@Entity('meeting_events')
export class MeetingEventEntity {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  @PrimaryColumn('bigint') seq!: string;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { nullable: true }) actor!: string | null;
  @Column('text') type!: string;
  /** The version of the event's schema it was written with (see `readEvent`). */
  @Column('smallint') version!: number;
  @Column('jsonb') payload!: object;
  @Column('jsonb', { nullable: true }) audience!: object | null;
}

@Entity('presentation_files')
export class PresentationFileEntity {
  @PrimaryColumn('text', { name: 'file_id' }) fileId!: string;
  @Column('text') format!: string;
  @Column('bigint') bytes!: string;
  @Column('integer') pages!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
}
