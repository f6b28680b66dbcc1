import { io, type Socket } from 'socket.io-client';
import {
  CommandReply,
  LoggedEvent,
  PROTOCOL_VERSION,
  Resumed,
  SOCKET,
  Snapshot,
  type AudioMode,
  type JoinResponse,
} from '@estrade/protocol';
import { TestServer } from './test-server';

/** A participant's socket.io connection, recording what the server sends it. */
export class TestClient {
  readonly events: LoggedEvent[] = [];
  snapshots: Snapshot[] = [];
  fatal: { code: string; message: string } | null = null;
  lastSeq = 0;
  /** Each resume's confirmation, in order. */
  readonly resumed: Resumed[] = [];
  socket!: Socket;

  constructor(
    readonly server: TestServer,
    readonly session: JoinResponse,
    readonly name: string,
    /** The browser's device cookie (`name=value`), as set by the server at join. */
    readonly deviceCookie = '',
  ) {}

  get id() {
    return this.session.participantId;
  }
  get meetingId() {
    return this.session.meetingId;
  }

  /** Connects; with `resume`, sends the last seq held, as the web client does on reconnect. */
  connect(opts: { resume?: boolean; auth?: unknown } = {}): Promise<this> {
    this.socket = io(this.server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: opts.auth ?? {
        token: this.session.sessionToken,
        protocol: PROTOCOL_VERSION,
        ...(opts.resume ? { lastSeq: this.lastSeq } : {}),
      },
    });
    this.socket.on(SOCKET.snapshot, (s) => {
      const snap = Snapshot.parse(s);
      this.snapshots.push(snap);
      this.lastSeq = snap.seq;
    });
    // Events come several at once; one already held (in a snapshot, say) is skipped, as the web app does.
    const receive = (e: unknown) => {
      const ev = LoggedEvent.parse(e);
      if (ev.seq <= this.lastSeq) return;
      this.events.push(ev);
      this.lastSeq = ev.seq;
    };
    this.socket.on(SOCKET.event, receive);
    this.socket.on(SOCKET.events, (batch: unknown[]) => batch.forEach(receive));
    this.socket.on(SOCKET.fatal, (f) => (this.fatal = f));
    this.socket.on(SOCKET.resumed, (r: unknown) => this.resumed.push(Resumed.parse(r)));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.name}: no snapshot, resumed or fatal within 10 s`)), 10_000);
      const done = () => (clearTimeout(t), resolve(this));
      this.socket.once(SOCKET.snapshot, done);
      this.socket.once(SOCKET.fatal, done);
      // A resume: what was missed, then the confirmation (or a snapshot, when the seq held is unknown).
      this.socket.once(SOCKET.resumed, done);
    });
  }

  async send(command: unknown): Promise<CommandReply> {
    return CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(SOCKET.command, command));
  }

  /** A live message: a request (its reply) or a transient (its acknowledgement). */
  async request(name: string, body?: unknown): Promise<CommandReply> {
    const args = body === undefined ? [] : [body];
    return CommandReply.parse(await this.socket.timeout(10_000).emitWithAck(name, ...args));
  }

  /** Waits until an event matching `pred` has arrived. */
  async waitForEvent(pred: (e: LoggedEvent) => boolean, timeoutMs = 10_000): Promise<LoggedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${this.name}: expected event not received`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close() {
    this.socket?.disconnect();
  }
}

export class Classroom {
  readonly clients: TestClient[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  /** Something to close with the classroom (a LiveKit bot, say). */
  onClose(close: () => Promise<void>) {
    this.closers.push(close);
  }

  constructor(readonly server: TestServer) {}

  async createRoom(name = 'Physique 2nde C') {
    const res = await this.server.http('POST', '/api/rooms', { name });
    if (res.status !== 201) throw new Error(`room creation failed: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json as { roomId: string; moderatorCode: string; viewerCode: string; name: string };
  }

  /** Joins by link; `fromDevice` joins from the same browser as that earlier participant. */
  async join(
    code: string,
    name: string,
    audioMode: AudioMode = 'microphone',
    fromDevice?: TestClient,
  ): Promise<TestClient> {
    const headers: Record<string, string> = fromDevice?.deviceCookie ? { cookie: fromDevice.deviceCookie } : {};
    const res = await this.server.http('POST', `/api/join/${code}`, { name, audioMode }, headers);
    if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.json)}`);
    const cookie =
      res.setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('estrade_device=')) ?? headers.cookie;
    const client = new TestClient(this.server, res.json, name, cookie);
    this.clients.push(client);
    return client.connect();
  }

  /** A room with a teacher and a student, both connected. */
  async withTeacherAndStudent(studentAudio: AudioMode = 'microphone') {
    const room = await this.createRoom();
    const teacher = await this.join(room.moderatorCode, 'Mme Martin');
    const student = await this.join(room.viewerCode, 'Léo', studentAudio);
    return { room, teacher, student };
  }

  async closeAll() {
    // Bots close together: one a refused publication left hanging waits out its own bound.
    await Promise.all(this.closers.splice(0).map((close) => close().catch(() => undefined)));
    for (const c of this.clients) c.close();
  }
}

/**
 * The real server and a classroom on it for one `describe` block: started before its tests,
 * everything closed and the server stopped after them.
 */
export function liveClassroom(env: Record<string, string> = {}) {
  const server = new TestServer(env);
  const classroom = new Classroom(server);
  beforeAll(() => server.start());
  afterAll(async () => {
    await classroom.closeAll();
    await server.dispose();
  });
  return { server, classroom };
}

/** The grant inside a LiveKit access token (its payload is not encrypted, only signed). */
export function livekitGrant(jwt: string): { room: string; canPublishSources?: string[]; roomJoin?: boolean } {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).video;
}
