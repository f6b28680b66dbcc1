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
  loggedOnTheWire,
  PROTOCOL_VERSION,
  SOCKET,
  snapshotOnTheWire,
  type CommandReply,
  type ErrorCode,
  type LoggedEvent,
  type MeetingState,
  type Resumed,
} from '@estrade/protocol';
import { RateLimiter } from '../limits/rate-limiter';
import { logger } from '../logging/logger';
import { CommandBus } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { Gathered } from '../meetings/gathered';
import { MeetingsService } from '../meetings/meetings.service';
import { LiveChannel } from '../meetings/live-channel';
import { identityOf, meetingRoom, SOCKET_OPTIONS, type SocketIdentity } from '../meetings/socket-rooms';
import { LivekitService } from '../livekit/livekit.service';
import { PresenceService } from '../participants/presence.service';
import { SessionsService } from '../sessions/sessions.service';

const CLOSE_DELAY_MS = 500;
/** Connections arriving within this time of the last welcome wait for the next, together. */
const WELCOME_EVERY_MS = 50;
/** Comings and goings alone wait up to this long, to go out together. */
const PRESENCE_BATCH_MS = 200;
/** Comings and goings that may wait: arrivals, media connections, connections lost (not leaving or removals). */
function lazy(event: LoggedEvent['event']): boolean {
  return (
    event.type === 'participant.joined' ||
    event.type === 'participant.media-changed' ||
    (event.type === 'participant.left' && event.reason === 'disconnected')
  );
}

/** A snapshot ready to write to sockets: its encoded packets and the options to write them with. */
interface EncodedSnapshot {
  packets: Parameters<Socket['client']['_packet']>[0];
  opts: Parameters<Socket['client']['_packet']>[1];
}

/**
 * socket.io's in-memory adapter's own encoding of a broadcast (not in its typings): the packets,
 * and in `opts` the WebSocket frame computed once for every socket.
 */
interface BroadcastEncoder {
  _encode(packet: unknown, opts: object): unknown[];
}

/** A connection waiting for its snapshot (or the events it missed). */
interface Arrival {
  socket: Socket;
  participantId: string;
  lastSeq: number | undefined;
}

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
    // A meeting someone is connected to stays in memory, however quiet.
    this.meetings.setInUse((meetingId) => (this.io.sockets.adapter.rooms.get(meetingRoom(meetingId))?.size ?? 0) > 0);
    this.meetings.onEvents((meetingId, events, state) => {
      this.post(meetingId, events, state);
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
      const arrival = { socket, participantId, lastSeq: hs.data.lastSeq };
      await (arrival.lastSeq === undefined ? this.arrivals : this.resumes).add(meetingId, arrival);
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

  /**
   * Connections waiting for their snapshot, welcomed together per meeting (see `Gathered`), in
   * one turn of the meeting's queue with nothing appended meanwhile: a class reconnecting at once
   * shares one view per view class and one encoding of it. While a class pours in, a welcome is
   * taken at most every WELCOME_EVERY_MS: one snapshot of a large class (hundreds of kilobytes)
   * encoded per interval, not per arrival.
   */
  private readonly arrivals = new Gathered<Arrival, void>(
    (meetingId, batch) => this.welcome(meetingId, batch),
    WELCOME_EVERY_MS,
  );
  /**
   * Resuming connections: what each missed is a few events at most, nothing like a snapshot, so
   * they are not held back to share one. Those arriving while one gathering is decided still go
   * together in the next.
   */
  private readonly resumes = new Gathered<Arrival, void>((meetingId, batch) => this.welcome(meetingId, batch));

  private welcome(meetingId: string, batch: Arrival[]) {
    return this.meetings.exclusive(meetingId, async (m) => {
      await this.welcomeAll(meetingId, m, batch);
      return batch.map(() => undefined);
    });
  }

  private async welcomeAll(meetingId: string, m: { seq: number; state: MeetingState }, batch: Arrival[]) {
    const here = batch.filter((a) => a.socket.connected && m.state.participants[a.participantId]);
    for (const a of here) await a.socket.join(meetingRoom(meetingId));
    // Back after a blip: exactly the events missed, read once for all of them.
    const resuming = here.filter((a) => a.lastSeq !== undefined && a.lastSeq <= m.seq);
    if (resuming.length) {
      const missed = await this.meetings.eventsAfter(meetingId, Math.min(...resuming.map((a) => a.lastSeq!)));
      // Each event's wire form once, whoever of the class it goes to.
      const wire = missed.map(loggedOnTheWire);
      for (const a of resuming) {
        const who = { id: a.participantId, role: m.state.participants[a.participantId].role };
        const mine = wire.filter((_, i) => missed[i].seq > a.lastSeq! && deliversTo(missed[i], m.state, who));
        if (mine.length) a.socket.emit(SOCKET.events, mine);
      }
      // Then: up to date. One encoding for the whole class, each socket's after its own events.
      const resumed: Resumed = { seq: m.seq };
      this.io.to(resuming.map((a) => a.socket.id)).emit(SOCKET.resumed, resumed);
    }
    this.sendSnapshots(
      m,
      here.filter((a) => !resuming.includes(a)).map((a) => ({ socket: a.socket, participantId: a.participantId })),
    );
  }

  /** Snapshots of one state, one per view class, each sent once to all its sockets. */
  private sendSnapshots(m: { seq: number; state: MeetingState }, to: { socket: Socket; participantId: string }[]) {
    const classes = new Map<string, { view: MeetingState; sockets: Socket[]; participants: Set<string> }>();
    for (const { socket, participantId } of to) {
      const { key, view } = this.meetings.sharedView(m.state, participantId);
      let c = classes.get(key);
      if (!c) classes.set(key, (c = { view, sockets: [], participants: new Set() }));
      c.sockets.push(socket);
      c.participants.add(participantId);
    }
    for (const [key, c] of classes) {
      const { packets, opts } = this.encodedSnapshot(m, key, c.view, c.participants);
      for (const socket of c.sockets) socket.client._packet(packets, opts);
    }
  }

  /**
   * A snapshot encoded once per state and view class, for every socket of that class that
   * connects while the state is the same (a class joining or reconnecting at once): the state of
   * a large class is hundreds of kilobytes of JSON. A snapshot shared by a role leaves out who it
   * is for (each client's session says); a personal one names them.
   */
  private readonly encoded = new WeakMap<MeetingState, Map<string, EncodedSnapshot>>();

  private encodedSnapshot(
    m: { seq: number; state: MeetingState },
    key: string,
    view: MeetingState,
    who: Set<string>,
  ): EncodedSnapshot {
    let byClass = this.encoded.get(m.state);
    if (!byClass) this.encoded.set(m.state, (byClass = new Map()));
    let encoded = byClass.get(key);
    if (!encoded) {
      const you = key.startsWith('role:') ? {} : { you: [...who][0] };
      // 2: socket.io's EVENT packet, as `emit` would make it.
      const packet = {
        type: 2,
        nsp: '/',
        data: [SOCKET.snapshot, snapshotOnTheWire({ seq: m.seq, ...you, state: view })],
      };
      // Encoded as a broadcast is: the adapter also frames it for the WebSocket once, so each
      // socket writes the same bytes instead of converting hundreds of kilobytes of text each.
      const opts = { preEncoded: true };
      const adapter = this.io.of('/').adapter as unknown as Partial<BroadcastEncoder>;
      const packets = adapter._encode ? adapter._encode(packet, opts) : this.io.encoder.encode(packet);
      byClass.set(key, (encoded = { packets: packets as EncodedSnapshot['packets'], opts }));
    }
    return encoded;
  }

  /**
   * Logged events go out as they are written, several in one message: comings and goings wait up
   * to PRESENCE_BATCH_MS for the next event (a class joining at once is one message per client,
   * not one per student). Public events go to the meeting's room (encoded once); addressed ones,
   * and all of them under the participant-list lock, to each socket they are for.
   */
  private readonly outbox = new Map<
    string,
    { chunks: { events: LoggedEvent[]; state: MeetingState }[]; timer: NodeJS.Timeout | null }
  >();

  private post(meetingId: string, events: LoggedEvent[], state: MeetingState) {
    let box = this.outbox.get(meetingId);
    if (!box) this.outbox.set(meetingId, (box = { chunks: [], timer: null }));
    box.chunks.push({ events, state });
    // Comings and goings may wait a little, to go out together (a class joining at once).
    // Anything else goes now, with them before it, in order: before the command's reply, so a
    // client told "done" already holds what its command did.
    if (events.some((e) => !lazy(e.event))) {
      if (box.timer) clearTimeout(box.timer);
      this.flush(meetingId);
    } else if (!box.timer) {
      box.timer = setTimeout(() => this.flush(meetingId), PRESENCE_BATCH_MS);
    }
  }

  private flush(meetingId: string) {
    const chunks = this.outbox.get(meetingId)?.chunks ?? [];
    this.outbox.delete(meetingId);
    const room = meetingRoom(meetingId);
    let broadcast: ReturnType<typeof loggedOnTheWire>[] = [];
    let addressed = new Map<Socket, ReturnType<typeof loggedOnTheWire>[]>();
    // Each socket gets its events in log order: a run of one kind is sent before the other starts.
    const sendBroadcast = () => {
      if (broadcast.length) this.io.to(room).emit(SOCKET.events, broadcast);
      broadcast = [];
    };
    const sendAddressed = () => {
      for (const [socket, events] of addressed) socket.emit(SOCKET.events, events);
      addressed = new Map();
    };
    for (const { events, state } of chunks) {
      for (const e of events) {
        const wire = loggedOnTheWire(e);
        if (!e.audience && !state.locks.participantList) {
          sendAddressed();
          broadcast.push(wire);
          continue;
        }
        sendBroadcast();
        for (const s of this.socketsOf(meetingId)) {
          const id = identityOf(s)!.participantId;
          const p = state.participants[id];
          if (!p || !deliversTo(e, state, { id, role: p.role })) continue;
          const list = addressed.get(s);
          if (list) list.push(wire);
          else addressed.set(s, [wire]);
        }
      }
      // What a viewer may see changed with the locks: viewers start again from a fresh snapshot.
      if (events.some((e) => e.event.type === 'locks.changed')) {
        sendBroadcast();
        sendAddressed();
        const viewers = this.socketsOf(meetingId)
          .map((socket) => ({ socket, participantId: identityOf(socket)!.participantId }))
          .filter((v) => state.participants[v.participantId]?.role !== 'moderator');
        this.sendSnapshots({ seq: events.at(-1)!.seq, state }, viewers);
      }
    }
    sendBroadcast();
    sendAddressed();
  }

  private socketsOf(meetingId: string, participantId?: string): Socket[] {
    const ids = this.io.sockets.adapter.rooms.get(meetingRoom(meetingId)) ?? new Set<string>();
    return [...ids]
      .map((id) => this.io.sockets.sockets.get(id))
      .filter((s): s is Socket => !!s && (!participantId || identityOf(s)!.participantId === participantId));
  }
}
