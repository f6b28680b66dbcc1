import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { OnModuleInit } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import {
  CLIENT_MESSAGE_RATES,
  CONNECTION_RATE,
  Handshake,
  deliversTo,
  loggedForClients,
  PROTOCOL_VERSION,
  SOCKET,
  type CommandReply,
  type ErrorCode,
  type LoggedEvent,
  type MeetingState,
} from '@estrade/protocol';
import { RateLimiter } from '../limits/rate-limiter';
import { logger } from '../logging/logger';
import { CommandBus } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';
import { LiveChannel } from '../meetings/live-channel';
import { identityOf, meetingRoom, SOCKET_OPTIONS, type SocketIdentity } from '../meetings/socket-rooms';
import { LivekitService } from '../livekit/livekit.service';
import { PresenceService } from '../participants/presence.service';
import { SessionsService } from '../sessions/sessions.service';

const CLOSE_DELAY_MS = 500;

/**
 * The socket edge of the spine: authenticates a connection from its session token, gives it a
 * snapshot (or exactly the events it missed), relays commands to the CommandBus and delivers
 * logged events to the sockets they are for.
 */
@WebSocketGateway(SOCKET_OPTIONS)
export class ClassroomGateway implements OnModuleInit, OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer() private io!: Server;

  constructor(
    private readonly meetings: MeetingsService,
    private readonly bus: CommandBus,
    private readonly sessions: SessionsService,
    private readonly presence: PresenceService,
    private readonly livekit: LivekitService,
    private readonly limiter: RateLimiter,
    private readonly live: LiveChannel,
  ) {}

  onModuleInit() {
    this.live.onRequest('media.token', ({ meetingId, me, state }) => this.livekit.mintToken(meetingId, me, state));
    this.live.onRequest('session.renew', ({ meetingId, me }) => this.sessions.issue(me.id, meetingId));
  }

  afterInit() {
    this.live.attach(this.io);
    this.meetings.onEvents((meetingId, events, state) => {
      for (const e of events) this.deliver(meetingId, e, state);
      // What a viewer may see changed with the locks: viewers start again from a fresh snapshot.
      if (events.some((e) => e.event.type === 'locks.changed')) {
        for (const s of this.socketsOf(meetingId)) {
          const id = identityOf(s)!.participantId;
          if (state.participants[id]?.role !== 'moderator') {
            s.emit(SOCKET.snapshot, this.meetings.snapshotFor({ seq: events.at(-1)!.seq, state }, id));
          }
        }
      }
      // Clients close on these events themselves; the server closes what remains a moment
      // later, after the command's reply and the event itself have gone out.
      for (const { event } of events) {
        if (event.type === 'participant.left' && (event.reason === 'left' || event.reason === 'removed')) {
          const sockets = this.socketsOf(meetingId, event.participantId);
          setTimeout(() => sockets.forEach((s) => s.disconnect(true)), CLOSE_DELAY_MS);
        }
        if (event.type === 'meeting.ended') {
          setTimeout(() => this.io.in(meetingRoom(meetingId)).disconnectSockets(true), CLOSE_DELAY_MS);
        }
      }
    });
  }

  async handleConnection(socket: Socket) {
    this.limitMessages(socket);
    try {
      const hs = Handshake.safeParse(socket.handshake.auth);
      if (!hs.success) throw new CommandError('unauthenticated', 'Missing or malformed handshake');
      if (hs.data.protocol !== PROTOCOL_VERSION) {
        throw new CommandError('protocol_mismatch', 'This page is out of date: please reload it');
      }
      const claims = this.sessions.verify(hs.data.token);
      if (!claims) throw new CommandError('unauthenticated', 'Your session has expired: join again from the link');
      const { meetingId, participantId } = claims;
      if (!this.limiter.take(`${participantId}/connect`, CONNECTION_RATE)) {
        throw new CommandError('too_fast', 'Too many connections: wait a moment and reload');
      }
      const { state } = await this.meetings.state(meetingId);
      const me = state.participants[participantId];
      if (state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
      if (!me) throw new CommandError('unauthenticated', 'You are not in this meeting');
      if (state.banned.participants.includes(participantId)) {
        throw new CommandError('banned', 'A moderator has removed you from this meeting');
      }
      if (!me.present && (me.leftReason === 'left' || me.leftReason === 'removed')) {
        throw new CommandError('unauthenticated', 'You are no longer in this meeting: join again from the link');
      }
      (socket.data as SocketIdentity) = { meetingId, participantId };
      await this.presence.connected(meetingId, participantId);
      await this.meetings.exclusive(meetingId, async (m) => {
        if (!socket.connected) return;
        await socket.join(meetingRoom(meetingId));
        const who = m.state.participants[participantId];
        const lastSeq = hs.data.lastSeq;
        if (lastSeq !== undefined && lastSeq <= m.seq) {
          for (const e of await this.meetings.eventsFor(meetingId, lastSeq, who)) socket.emit(SOCKET.event, e);
        } else {
          socket.emit(SOCKET.snapshot, this.meetings.snapshotFor(m, participantId));
        }
      });
    } catch (err) {
      const code: ErrorCode = err instanceof CommandError ? err.code : 'internal';
      if (!(err instanceof CommandError)) logger.error({ err }, 'socket connection failed');
      socket.emit(SOCKET.fatal, { code, message: err instanceof Error ? err.message : 'error' });
      socket.disconnect(true);
    }
  }

  /**
   * Every message a client sends passes its bucket first (per participant, or per socket before
   * the handshake is checked); then commands go to their handler below and live messages to the
   * live channel. Names the protocol does not know are dropped.
   */
  private limitMessages(socket: Socket) {
    socket.use(([name, ...args], next) => {
      // Own keys only: "constructor" or "toString" are names too.
      const rate =
        typeof name === 'string' && Object.hasOwn(CLIENT_MESSAGE_RATES, name) ? CLIENT_MESSAGE_RATES[name] : null;
      const who = identityOf(socket)?.participantId ?? socket.id;
      if (rate && this.limiter.take(`${who}/${name}`, rate)) {
        if (!this.live.dispatch(socket, name as string, args)) next();
        return;
      }
      const ack = args.at(-1);
      if (typeof ack === 'function') {
        const reply: CommandReply = rate
          ? { ok: false, code: 'too_fast', message: 'Too many requests: wait a moment' }
          : { ok: false, code: 'unknown_command', message: 'Unknown message' };
        ack(reply);
      }
    });
  }

  handleDisconnect(socket: Socket) {
    const who = identityOf(socket);
    if (who) this.presence.disconnected(who.meetingId, who.participantId);
  }

  @SubscribeMessage(SOCKET.command)
  command(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<CommandReply> | CommandReply {
    const who = identityOf(socket);
    if (!who) return { ok: false, code: 'unauthenticated', message: 'Connection not authenticated' };
    return this.bus.execute(who.meetingId, who.participantId, payload);
  }

  private deliver(meetingId: string, e: LoggedEvent, state: MeetingState) {
    const wire = loggedForClients(e);
    if (!e.audience && !state.locks.participantList) {
      this.io.to(meetingRoom(meetingId)).emit(SOCKET.event, wire);
      return;
    }
    for (const s of this.socketsOf(meetingId)) {
      const id = identityOf(s)!.participantId;
      const p = state.participants[id];
      if (p && deliversTo(e, state, { id, role: p.role })) s.emit(SOCKET.event, wire);
    }
  }

  private socketsOf(meetingId: string, participantId?: string): Socket[] {
    const ids = this.io.sockets.adapter.rooms.get(meetingRoom(meetingId)) ?? new Set<string>();
    return [...ids]
      .map((id) => this.io.sockets.sockets.get(id))
      .filter((s): s is Socket => !!s && (!participantId || identityOf(s)!.participantId === participantId));
  }
}
