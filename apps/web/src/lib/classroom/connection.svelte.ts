import { io, type Socket } from 'socket.io-client';
import {
  CommandReply,
  foldMeeting,
  LIVE_PUSHES,
  LIVE_REQUESTS,
  LIVE_TRANSIENT,
  LoggedEvent,
  PROTOCOL_VERSION,
  Resumed,
  Snapshot,
  SOCKET,
  type Command,
  type Incoming,
  type LivePush,
  type LiveRequest,
  type LiveTransient,
  type MediaToken,
  type MeetingState,
  type ReplyOf,
  type RequestOf,
  type TransientOf,
} from '@estrade/protocol';
import { loadSession, saveSession, type Session } from '../session/session';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export class CommandRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** What to tell the participant, where a feature says it better than the code's general text. */
    readonly text?: string,
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
      // A snapshot shared by a whole class leaves out who it is for: our session says.
      this.you = snap.you ?? this.session.participantId;
      this.status = 'connected';
    });
    const receive = (raw: unknown) => {
      const e = LoggedEvent.parse(raw);
      if (!this.state || e.seq <= this.seq) return;
      this.state = foldMeeting(this.state, e);
      this.seq = e.seq;
      this.status = this.over() ? 'closed' : 'connected';
      for (const l of this.listeners) l(e);
    };
    this.socket.on(SOCKET.event, receive);
    // What the meeting logged within one turn of the server comes as one message.
    this.socket.on(SOCKET.events, (batch: unknown) => {
      if (Array.isArray(batch)) batch.forEach(receive);
    });
    // Back after a blip: the events missed came first, so this is up to date.
    this.socket.on(SOCKET.resumed, (raw: unknown) => {
      const r = Resumed.safeParse(raw);
      if (!r.success || !this.state) return;
      // Events of the meeting not meant for this participant are never sent: the seq still moves on.
      this.seq = Math.max(this.seq, r.data.seq);
      this.status = this.over() ? 'closed' : 'connected';
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
    // Connected is not back yet: a resume ends with `resumed`, a first connection with its snapshot.
    this.socket.on('connect', () => (this.retrying = false));
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

  /**
   * A request of the live channel (a read, a token): its reply checked against the protocol's
   * schema, or a rejection with the server's code.
   */
  async request<K extends LiveRequest>(name: K, ...body: [RequestOf<K>?]): Promise<ReplyOf<K>> {
    const reply = CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(name, ...body));
    if (!reply.ok) throw new CommandRefused(reply.code, reply.message);
    return LIVE_REQUESTS[name].reply.parse(reply.result) as ReplyOf<K>;
  }

  /** Transient traffic of the live channel (typing…, a drag): sent without the log, dropped if offline. */
  transient<K extends LiveTransient>(name: K, body: TransientOf<K>) {
    if (this.socket.connected) this.socket.volatile.emit(name, body);
  }

  /**
   * Transient traffic whose fate matters (a shared-notes edit): resolves once the server took it,
   * rejects with its code when refused, or with `offline` when there is no connection to send on.
   */
  async transientAcked<K extends LiveTransient>(name: K, body: TransientOf<K>): Promise<void> {
    if (!this.socket.connected) throw new CommandRefused('offline', 'Not connected');
    const reply = CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(name, body));
    if (!reply.ok) throw new CommandRefused(reply.code, reply.message);
  }

  /** What others relay and the server pushes on the live channel; anything malformed is ignored. */
  onTransient<K extends LiveTransient | LivePush>(name: K, handler: (body: Incoming<K>) => void): () => void {
    const spec = name in LIVE_TRANSIENT ? LIVE_TRANSIENT[name as LiveTransient] : null;
    const schema = spec ? spec.relay : LIVE_PUSHES[name as LivePush];
    const listener = (raw: unknown) => {
      if (spec && 'batched' in spec) {
        // A batch of relays: each checked on its own, the malformed ones left out.
        if (!Array.isArray(raw)) return;
        const items = raw.flatMap((r) => {
          const parsed = schema.safeParse(r);
          return parsed.success ? [parsed.data] : [];
        });
        if (items.length) handler(items as Incoming<K>);
        return;
      }
      const parsed = schema.safeParse(raw);
      if (parsed.success) handler(parsed.data as Incoming<K>);
    };
    const event: string = name;
    this.socket.on(event, listener);
    return () => this.socket.off(event, listener);
  }

  mediaToken(): Promise<MediaToken> {
    return this.request('media.token');
  }

  private async renew() {
    if (!this.socket.connected) return;
    const renewal = await this.request('session.renew').catch(() => null);
    if (!renewal) return;
    // What else the tab keeps (the camera choice) may have changed since: only the token is new.
    this.session = { ...(loadSession(this.session.meetingId) ?? this.session), ...renewal };
    saveSession(this.session);
  }

  close() {
    clearInterval(this.renewTimer);
    this.socket.disconnect();
  }
}
