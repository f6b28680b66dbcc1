import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { logger } from '../logging/logger';
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SETTINGS,
  type AudioMode,
  type CreateRoomResponse,
  type JoinInfo,
  type JoinResponse,
  type MeetingSettings,
  type MeetingState,
  type WaitingResponse,
  type WaitingStatus,
} from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import type { RoomEntity } from '../database/entities';
import { CommandError } from '../meetings/command-error';
import { endsAt } from '../meetings/duration';
import { CommandBus, type Emit, type SystemDecision } from '../meetings/command-bus';
import { Gathered } from '../meetings/gathered';
import { MeetingsService } from '../meetings/meetings.service';
import { PresentationsService } from '../presentations/presentations.service';
import { SessionsService } from '../sessions/sessions.service';
import { hashAccessCode, looksLikeAccessCode, newAccessCode } from './access-code';
import { HashingBusy, hashPassword, verifyPassword } from './password';
import { KeyedQueue } from '../limits/keyed-queue';
import { PasswordAttempts } from '../limits/password-attempts';
import { RoomsRepository } from './rooms.repository';

/** How long a room found by its link is remembered (see `open`). */
const ROOM_MEMORY_MS = 2000;

/** Joins arriving within this time of the last decided ones wait to be decided together. */
const JOINS_EVERY_MS = 50;

/** A waiting guest's ticket lasts long enough for a slow teacher. */
const WAITING_TICKET_MS = 2 * 3600 * 1000;

/**
 * Creating rooms and joining them by access code. The web UI's REST API calls this today; the
 * BigBlueButton-compatible API will call the same methods.
 */
@Injectable()
export class RoomsService implements OnModuleInit, OnModuleDestroy {
  /**
   * When each waiting guest last asked: per connection by nature (the guest's polling requests
   * reach one process), so kept in memory; cleared as the guest falls silent or the meeting ends.
   */
  private readonly lastAsked = new Map<string, { meetingId: string; at: number }>();
  private sweeper: NodeJS.Timeout | null = null;
  /**
   * Five free mistakes per address, then 1 s, 2 s, 4 s… up to 5 min; a room under attack from
   * many addresses slows after 20, up to 30 s, so a class can still get in meanwhile.
   */
  private readonly attempts = new PasswordAttempts({
    address: { free: 5, baseMs: 1000, maxMs: 5 * 60_000, forgetMs: 15 * 60_000 },
    room: { free: 20, baseMs: 500, maxMs: 30_000, forgetMs: 15 * 60_000 },
  });
  /** One attempt at a time per address (a class behind one school router waits its turn). */
  private readonly passwordLines = new KeyedQueue(100);

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly repo: RoomsRepository,
    private readonly meetings: MeetingsService,
    private readonly bus: CommandBus,
    private readonly sessions: SessionsService,
    private readonly presentations: PresentationsService,
  ) {}

  onModuleDestroy() {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Guests who closed the waiting page leave the moderators' list. */
  private sweep(now = Date.now()) {
    this.attempts.sweep(now);
    for (const [hash, o] of this.opened) if (now - o.at >= ROOM_MEMORY_MS) this.opened.delete(hash);
    for (const [guestId, { meetingId, at }] of this.lastAsked) {
      if (now - at < this.runtime.config.waitingSilenceMs) continue;
      this.lastAsked.delete(guestId);
      this.bus
        .system(meetingId, (state) => ({
          events:
            state.waiting[guestId]?.status === 'waiting' && !state.endedAt ? [{ type: 'guest.left', guestId }] : [],
        }))
        .catch((err) => logger.warn({ err: String(err), meetingId }, 'could not record a guest leaving'));
    }
  }

  onModuleInit() {
    this.sweeper = setInterval(() => this.sweep(), Math.min(5_000, this.runtime.config.waitingSilenceMs / 2));
    this.sweeper.unref();
    this.meetings.onEvents((meetingId, events, state) => {
      // An ended meeting has no waiting room left to watch.
      if (state.endedAt) for (const [id, w] of this.lastAsked) if (w.meetingId === meetingId) this.lastAsked.delete(id);
      // A closed room is read again on its next opening.
      if (events.some((e) => e.event.type === 'meeting.ended' && e.event.roomClosed)) this.opened.clear();
    });
  }

  async create(
    name: string,
    password: string | undefined,
    settings: Partial<MeetingSettings> = {},
    now = new Date(),
  ): Promise<CreateRoomResponse> {
    const moderatorCode = newAccessCode();
    const viewerCode = newAccessCode();
    const id = randomUUID();
    const s = { ...DEFAULT_SETTINGS, ...settings };
    await this.repo.create({
      id,
      name,
      moderatorCodeHash: hashAccessCode(moderatorCode),
      viewerCodeHash: hashAccessCode(viewerCode),
      createdAt: now,
      passwordHash: password ? await orBusy(hashPassword(password)) : null,
      guestPolicy: s.guestPolicy,
      maxParticipants: s.maxParticipants,
      maxDurationMinutes: s.maxDurationMinutes,
      welcomeMessage: s.welcomeMessage || null,
    });
    return { roomId: id, name, moderatorCode, viewerCode };
  }

  async describe(code: string): Promise<JoinInfo> {
    const { room, role } = await this.open(code);
    return { roomName: room.name, role, passwordRequired: passwordApplies(room, role) };
  }

  /**
   * Joins the room's running meeting (starting it if needed), or puts a guest in the waiting
   * room when a moderator must let them in. Every refusal changes nothing.
   */
  async join(
    code: string,
    request: { name: string; audioMode: AudioMode; password?: string },
    client: { device: string; address: string },
    now = new Date(),
  ): Promise<JoinResponse | WaitingResponse> {
    const { room, role } = await this.openChecked(code, request.password, client.address);
    // Keyed by room: the hash a ban holds on cannot follow a browser from class to class.
    const device = hashAccessCode(`${room.id}/${client.device}`);
    const participantId = randomUUID();
    const { name, audioMode } = request;
    const joining: Joining = { room, role, participantId, name, audioMode, device, now };
    let meetingId = await this.meetings.ensureRunning(room, now);
    let waits: boolean;
    try {
      waits = await this.joins.add(meetingId, joining);
    } catch (err) {
      // The meeting remembered as running has ended (from another server): start the next one.
      if (!(err instanceof CommandError && err.code === 'meeting_ended')) throw err;
      this.meetings.forgetRunning(room.id);
      meetingId = await this.meetings.ensureRunning(room, now);
      waits = await this.joins.add(meetingId, joining);
    }
    if (waits) {
      this.lastAsked.set(participantId, { meetingId, at: now.getTime() });
      const { sessionToken } = this.sessions.issue(participantId, meetingId, now.getTime(), WAITING_TICKET_MS);
      return { waiting: true, ticket: sessionToken };
    }
    return { meetingId, participantId, ...this.sessions.issue(participantId, meetingId, now.getTime()) };
  }

  /**
   * Joins arriving together, decided together on the meeting's state (see `Gathered`): each
   * gets its answer, true when they wait for a moderator, or the reason they are refused.
   */
  private readonly joins = new Gathered<Joining, boolean>(
    (meetingId, joins) => this.bus.system(meetingId, (state) => this.admit(state, joins), joins[0].now),
    JOINS_EVERY_MS,
  );

  /**
   * The events of these joins, in order, each judged as if the ones before it were folded:
   * the room's settings are logged as the meeting starts, the first moderator in presents.
   */
  private admit(state: MeetingState, joins: Joining[]): SystemDecision<(boolean | CommandError)[]> {
    // The meeting's first settings come from the room, logged as it starts.
    const settings = state.settings ?? roomSettings(joins[0].room);
    const events: Emit[] = state.settings
      ? []
      : [
          {
            type: 'settings.changed',
            settings,
            endsAt: endsAt(state.startedAt, settings, this.runtime.config.minuteMs),
          },
          // Every meeting starts on the default deck: a welcome page, then blank pages.
          this.presentations.defaultDeckEvent(),
        ];
    let present =
      settings.maxParticipants === null ? 0 : Object.values(state.participants).filter((p) => p.present).length;
    let presenterId = state.presenterId;
    const result = joins.map(({ role, participantId, name, audioMode, device }) => {
      if (state.banned.devices.includes(device)) {
        return new CommandError('banned', 'A moderator has removed you from this meeting');
      }
      if (role === 'viewer') {
        if (settings.maxParticipants !== null && present >= settings.maxParticipants) {
          return new CommandError('room_full', 'The meeting is full');
        }
        if (settings.guestPolicy === 'always-deny') {
          return new CommandError('guests_denied', 'This meeting does not accept more participants');
        }
        if (settings.guestPolicy === 'ask-moderator') {
          events.push({
            actor: participantId,
            event: { type: 'guest.waiting', guestId: participantId, name, audioMode, device },
          });
          return true;
        }
      }
      events.push({
        actor: participantId,
        event: { type: 'participant.joined', participantId, name, role, audioMode, device },
      });
      present++;
      // As in BigBlueButton, the first moderator in takes the presenter role if nobody has it.
      if (role === 'moderator' && !presenterId) {
        presenterId = participantId;
        events.push({ actor: participantId, event: { type: 'presenter.changed', participantId } });
      }
      return false;
    });
    // Nobody came in: the meeting does not start on refusals alone.
    return { events: result.some((r) => !(r instanceof CommandError)) ? events : [], result };
  }

  /**
   * Opens the room by its code, checking the password where one applies. An attempt carrying a
   * password waits its turn behind the others from the same address, and one still inside its
   * delay (a wrong password costs a growing one, per address and per room) is refused before
   * anything is read or hashed. The right password clears the address's record.
   */
  private async openChecked(code: string, password: string | undefined, address: string) {
    if (password === undefined) {
      const found = await this.open(code);
      if (passwordApplies(found.room, found.role)) throw new CommandError('wrong_password', 'Wrong room password');
      return found;
    }
    const checked = this.passwordLines.run(address, async () => {
      this.refuseInsideDelay(address, null);
      const found = await this.open(code);
      if (passwordApplies(found.room, found.role)) await this.checkPassword(found.room, password, address);
      return found;
    });
    if (!checked) throw new CommandError('too_fast', 'Too many password attempts at once: wait a moment');
    return checked;
  }

  private refuseInsideDelay(address: string, roomId: string | null) {
    const wait = this.attempts.waitMs(address, roomId, Date.now());
    if (wait > 0) {
      throw new CommandError('too_fast', `Too many wrong passwords: try again in ${Math.ceil(wait / 1000)} s`);
    }
  }

  private async checkPassword(room: RoomEntity, password: string, address: string) {
    this.refuseInsideDelay(address, room.id);
    if (!(await orBusy(verifyPassword(password, room.passwordHash!)))) {
      this.attempts.failed(address, room.id, Date.now());
      throw new CommandError('wrong_password', 'Wrong room password');
    }
    this.attempts.succeeded(address);
  }

  /** What a waiting guest's page polls: still waiting, let in (with their session), or turned away. */
  async waitingStatus(ticket: string): Promise<WaitingStatus> {
    const claims = this.sessions.verify(ticket);
    if (!claims) throw new CommandError('unauthenticated', 'This waiting ticket is not valid');
    const { state } = await this.meetings.state(claims.meetingId);
    if (state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
    const guest = state.waiting[claims.participantId];
    if (!guest) throw new CommandError('not_found', 'Not waiting in this meeting');
    if (guest.status === 'waiting') this.lastAsked.set(guest.id, { meetingId: claims.meetingId, at: Date.now() });
    else this.lastAsked.delete(guest.id);
    if (guest.status !== 'admitted' || !state.participants[guest.id]) {
      return { status: guest.status === 'admitted' ? 'waiting' : guest.status, message: state.waitingMessage };
    }
    return {
      status: 'admitted',
      message: state.waitingMessage,
      joined: {
        meetingId: claims.meetingId,
        participantId: guest.id,
        ...this.sessions.issue(guest.id, claims.meetingId),
      },
    };
  }

  /**
   * The room a link opens, and as whom. Found rooms are remembered for a moment: a class opening
   * the link together reads the room once (a closed room is known within that moment: the
   * meeting's end with "close the room" forgets it at once).
   */
  private async open(code: string) {
    if (!looksLikeAccessCode(code)) throw new CommandError('invalid_code', 'This link is not valid');
    const hash = hashAccessCode(code);
    const known = this.opened.get(hash);
    let lookup = known && Date.now() - known.at < ROOM_MEMORY_MS ? known.found : null;
    if (!lookup) {
      // The look-up itself is remembered: a class arriving in the same moment waits for one read.
      const at = Date.now();
      const reading = (lookup = this.repo.findByCodeHash(hash));
      this.opened.set(hash, { found: reading, at });
      reading.then(
        (f) => !f && this.opened.get(hash)?.found === reading && this.opened.delete(hash),
        () => this.opened.get(hash)?.found === reading && this.opened.delete(hash),
      );
    }
    const found = await lookup;
    if (!found) throw new CommandError('invalid_code', 'This link is not valid');
    if (found.room.closedAt) throw new CommandError('room_closed', 'This room is closed');
    return found;
  }

  private readonly opened = new Map<
    string,
    { found: Promise<{ room: RoomEntity; role: 'moderator' | 'viewer' } | null>; at: number }
  >();
}

/** Password hashing refused under a flood: "busy", as for any other full queue. */
function orBusy<T>(hashing: Promise<T>): Promise<T> {
  return hashing.catch((err: unknown) => {
    throw err instanceof HashingBusy ? new CommandError('busy', 'The server is busy: try again in a moment') : err;
  });
}

/** The password guards the students' link; the moderators' link is itself the secret. */
function passwordApplies(room: RoomEntity, role: 'moderator' | 'viewer'): boolean {
  return role === 'viewer' && room.passwordHash !== null;
}

/** A join request past its room's door, waiting for the meeting's decision. */
interface Joining {
  room: RoomEntity;
  role: 'moderator' | 'viewer';
  participantId: string;
  name: string;
  audioMode: AudioMode;
  device: string;
  now: Date;
}

function roomSettings(room: RoomEntity): MeetingSettings {
  return {
    ...DEFAULT_SETTINGS,
    guestPolicy: room.guestPolicy,
    maxParticipants: room.maxParticipants,
    maxDurationMinutes: room.maxDurationMinutes,
    welcomeMessage: room.welcomeMessage,
  };
}
