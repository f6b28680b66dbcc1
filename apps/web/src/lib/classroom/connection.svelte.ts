import { io, type Socket } from 'socket.io-client';
import {
  CommandReply,
  foldMeeting,
  LoggedEvent,
  MediaToken,
  PROTOCOL_VERSION,
  SessionRenewal,
  Snapshot,
  SOCKET,
  type Command,
  type MeetingState,
} from '@estrade/protocol';
import { saveSession, type Session } from '../session/session';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export class CommandRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Opens the socket.io connection with this handshake; tests hand in a fake socket instead. */
export type Connect = (auth: (cb: (data: object) => void) => void) => Socket;
const socketIo: Connect = (auth) => io({ transports: ['websocket'], auth });

/** Renew the session well before it expires, so a reload an hour into class still works. */
const RENEW_EVERY_MS = 5 * 60 * 1000;

/**
 * The classroom's live connection: a snapshot, then events folded with the same fold as the
 * server. On reconnect it sends the last seq it holds and receives only what it missed.
 */
export class ClassroomConnection {
  state = $state<MeetingState | null>(null);
  seq = $state(0);
  you = $state('');
  status = $state<ConnectionStatus>('connecting');
  /** Set when the server closes the connection for good (ended, left, expired, outdated). */
  fatal = $state<{ code: string; message: string } | null>(null);
  private socket: Socket;
  /** Refused for reconnecting too often: trying again shortly, not closed. */
  private retrying = false;
  private renewTimer: ReturnType<typeof setInterval>;
  private readonly listeners = new Set<(e: LoggedEvent) => void>();

  constructor(
    private session: Session,
    connect: Connect = socketIo,
  ) {
    this.socket = connect((cb) =>
      cb({
        token: this.session.sessionToken,
        protocol: PROTOCOL_VERSION,
        ...(this.state ? { lastSeq: this.seq } : {}),
      }),
    );
    this.socket.on(SOCKET.snapshot, (raw: unknown) => {
      const snap = Snapshot.parse(raw);
      this.state = snap.state;
      this.seq = snap.seq;
      this.you = snap.you;
      this.status = 'connected';
    });
    this.socket.on(SOCKET.event, (raw: unknown) => {
      const e = LoggedEvent.parse(raw);
      if (!this.state || e.seq <= this.seq) return;
      this.state = foldMeeting(this.state, e);
      this.seq = e.seq;
      this.status = this.over() ? 'closed' : 'connected';
      for (const l of this.listeners) l(e);
    });
    this.socket.on(SOCKET.fatal, (f: { code: string; message: string }) => {
      if (f.code === 'too_fast') {
        // Too many reconnections in a row: the server asks us to wait, not to leave.
        this.retrying = true;
        this.status = 'reconnecting';
        setTimeout(() => this.socket.connect(), 4000);
        return;
      }
      this.fatal = f;
      this.status = 'closed';
    });
    this.socket.on('connect', () => {
      this.retrying = false;
      if (this.state) this.status = 'connected';
    });
    this.socket.on('disconnect', (reason) => {
      if (this.fatal || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect' && !this.retrying) {
        // The server closes sockets on purpose only when the meeting ended or we left.
        this.status = 'closed';
        return;
      }
      this.status = 'reconnecting';
    });
    this.renewTimer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
  }

  /** The meeting ended, or we left it: this connection has nothing more to do. */
  private over(): boolean {
    const me = this.state?.participants[this.you];
    return !!this.state?.endedAt || me?.leftReason === 'left' || me?.leftReason === 'removed';
  }

  onEvent(listener: (e: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a command; resolves with its result or rejects with the server's code. */
  async send<C extends Command>(command: C): Promise<unknown> {
    const reply = CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(SOCKET.command, command));
    if (!reply.ok) throw new CommandRefused(reply.code, reply.message);
    return reply.result;
  }

  /** A request that is not a command (a read, say): resolves with its result or rejects with the code. */
  async request(name: string, body?: unknown): Promise<unknown> {
    const reply = CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(name, body));
    if (!reply.ok) throw new CommandRefused(reply.code, reply.message);
    return reply.result;
  }

  /** Transient traffic (typing…): sent and received without the log. */
  transient(name: string, body: unknown) {
    if (this.socket.connected) this.socket.volatile.emit(name, body);
  }

  onTransient(name: string, handler: (body: unknown) => void): () => void {
    this.socket.on(name, handler);
    return () => this.socket.off(name, handler);
  }

  async mediaToken(): Promise<MediaToken> {
    const reply = CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(SOCKET.mediaToken));
    if (!reply.ok) throw new CommandRefused(reply.code, reply.message);
    return MediaToken.parse(reply.result);
  }

  private async renew() {
    if (!this.socket.connected) return;
    const raw: unknown = await this.socket
      .timeout(10_000)
      .emitWithAck(SOCKET.sessionRenew)
      .catch(() => null);
    const reply = CommandReply.safeParse(raw);
    if (!reply.success || !reply.data.ok) return;
    const renewal = SessionRenewal.parse(reply.data.result);
    this.session = { ...this.session, ...renewal };
    saveSession(this.session);
  }

  close() {
    clearInterval(this.renewTimer);
    this.socket.disconnect();
  }
}
