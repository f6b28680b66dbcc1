import type { Socket } from 'socket.io-client';
import { ClassroomConnection } from '../classroom/connection.svelte';

type Handler = (body: unknown) => void;
type Reply = { ok: true; result?: unknown } | { ok: false; code: string; message: string };

/**
 * Stands in for socket.io in unit tests: what the server would push is delivered with
 * `receive`, and requests are answered by `replies` (by message name). Everything the client
 * sent is kept in `sent`. No server logic here: tests state what the server says.
 */
export class FakeSocket {
  connected = true;
  readonly sent: { name: string; body: unknown }[] = [];
  readonly replies: Record<string, (body: unknown) => Reply> = {};
  handshake: object | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(private readonly auth: (cb: (data: object) => void) => void) {
    auth((data) => (this.handshake = data));
  }

  on(name: string, handler: Handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name)!.add(handler);
    return this;
  }

  off(name: string, handler: Handler) {
    this.handlers.get(name)?.delete(handler);
    return this;
  }

  /** The server pushes a message to this client. */
  receive(name: string, body?: unknown) {
    for (const h of this.handlers.get(name) ?? []) h(body);
  }

  timeout() {
    return {
      emitWithAck: async (name: string, body?: unknown) => {
        this.sent.push({ name, body });
        const reply = this.replies[name];
        if (!reply) throw new Error(`no reply for ${name}`);
        return reply(body);
      },
    };
  }

  get volatile() {
    return { emit: (name: string, body?: unknown) => void this.sent.push({ name, body }) };
  }

  /** Reconnects: the handshake is asked for again, as socket.io does. */
  connect() {
    this.auth((data) => (this.handshake = data));
    this.connected = true;
    this.receive('connect');
  }

  disconnect() {
    this.connected = false;
  }
}

/** A classroom connection over a fake socket. */
export function connectFake(you = 'unused'): { conn: ClassroomConnection; socket: FakeSocket } {
  let socket!: FakeSocket;
  const conn = new ClassroomConnection(
    {
      meetingId: '00000000-0000-4000-8000-000000000001',
      participantId: you,
      sessionToken: 'session-token',
      sessionExpiresAt: '2099-01-01T00:00:00.000Z',
      joinCode: 'code',
    },
    (auth) => {
      socket = new FakeSocket(auth);
      return socket as unknown as Socket;
    },
  );
  return { conn, socket };
}
