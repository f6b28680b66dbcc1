import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import {
  actorIn,
  isAmong,
  isLiveRequest,
  isLiveTransient,
  LIVE_PUSHES,
  LIVE_REQUESTS,
  LIVE_TRANSIENT,
  type CommandReply,
  type LivePush,
  type LiveRequest,
  type LiveTransient,
  type MeetingState,
  type Participant,
  type PushOf,
  type RelayOf,
  type ReplyOf,
} from '@estrade/protocol';
import { logger } from '../logging/logger';
import { CommandError } from './command-error';
import { MeetingsService } from './meetings.service';
import { identityOf, meetingRoom } from './socket-rooms';

/** How long batched relays gather before going out: one animation frame. */
const BATCH_MS = 16;

/** Who sent a live message: authenticated by the gateway, present in the meeting. */
export interface LiveCaller {
  meetingId: string;
  me: Participant;
  state: MeetingState;
  socket: Socket;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : never;
export type RequestHandler<K extends LiveRequest> = (
  caller: LiveCaller,
  body: Parsed<(typeof LIVE_REQUESTS)[K]['request']>,
) => ReplyOf<K> | Promise<ReplyOf<K>>;
/** Where a transient goes: everyone else in the meeting, or some participants; null drops it. */
export type TransientHandler<K extends LiveTransient> = (
  caller: LiveCaller,
  payload: Parsed<(typeof LIVE_TRANSIENT)[K]['send']>,
) => TransientOut<K> | null | Promise<TransientOut<K> | null>;
type TransientOut<K extends LiveTransient> = { to: 'others' | string[]; relay: RelayOf<K> };

/**
 * The live channel beside commands: requests with a reply and transient messages relayed to
 * others, never logged. Every message passes the gateway's middleware (rate), then here: the
 * socket's identity, presence in the meeting, the message's `who` rule and its schema, before
 * the feature's handler runs. Features register their handlers; the gateway dispatches.
 */
@Injectable()
export class LiveChannel implements OnApplicationBootstrap {
  private io?: Server;
  private readonly requests = new Map<string, RequestHandler<LiveRequest>>();
  private readonly transients = new Map<string, TransientHandler<LiveTransient>>();
  private readonly batches = new Map<
    string,
    { meetingId: string; name: string; to: string[] | null; items: unknown[] }
  >();
  private flusher?: ReturnType<typeof setTimeout>;

  constructor(private readonly meetings: MeetingsService) {}

  attach(io: Server) {
    this.io = io;
  }

  onRequest<K extends LiveRequest>(name: K, handler: RequestHandler<K>) {
    if (this.requests.has(name)) throw new Error(`two handlers for ${name}`);
    this.requests.set(name, handler as unknown as RequestHandler<LiveRequest>);
  }

  onTransient<K extends LiveTransient>(name: K, handler: TransientHandler<K>) {
    if (this.transients.has(name)) throw new Error(`two handlers for ${name}`);
    this.transients.set(name, handler as unknown as TransientHandler<LiveTransient>);
  }

  /** Every live message of the protocol has its handler, or the server does not start. */
  onApplicationBootstrap() {
    const missing = [
      ...Object.keys(LIVE_REQUESTS).filter((n) => !this.requests.has(n)),
      ...Object.keys(LIVE_TRANSIENT).filter((n) => !this.transients.has(n)),
    ];
    if (missing.length) throw new Error(`live messages without a handler: ${missing.join(', ')}`);
  }

  /** From the server to every connection of these meetings. */
  push<K extends LivePush>(meetingIds: string[], name: K, payload: PushOf<K>) {
    const body = LIVE_PUSHES[name].parse(payload);
    for (const id of meetingIds) this.io?.to(meetingRoom(id)).emit(name, body);
  }

  /** Whether `name` is a live message; if so it is handled (and answered) here. */
  dispatch(socket: Socket, name: string, args: unknown[]): boolean {
    if (!isLiveRequest(name) && !isLiveTransient(name)) return false;
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (r: CommandReply) => void) : null;
    const body = ack ? args.slice(0, -1)[0] : args[0];
    this.handle(socket, name, body).then(
      (reply) => ack?.(reply),
      (err: unknown) => {
        if (!(err instanceof CommandError)) logger.error({ err, name }, 'live message failed');
        ack?.(
          err instanceof CommandError
            ? { ok: false, code: err.code, message: err.message }
            : { ok: false, code: 'internal', message: 'Something went wrong on the server' },
        );
      },
    );
    return true;
  }

  private async handle(socket: Socket, name: LiveRequest | LiveTransient, body: unknown): Promise<CommandReply> {
    const who = identityOf(socket);
    if (!who) throw new CommandError('unauthenticated', 'Connection not authenticated');
    const spec = isLiveRequest(name) ? LIVE_REQUESTS[name] : LIVE_TRANSIENT[name as LiveTransient];
    const parsed = ('request' in spec ? spec.request : spec.send).safeParse(body);
    if (!parsed.success) {
      throw new CommandError('malformed', `Malformed ${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const { state } = await this.meetings.state(who.meetingId);
    const me = state.participants[who.participantId];
    if (state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
    if (!me?.present) throw new CommandError('unauthenticated', 'You are not in this meeting');
    const actor = actorIn(state, me);
    if (!isAmong(spec.who, actor)) throw new CommandError('forbidden', `Your role may not send ${name}`);
    const lock = 'lock' in spec ? spec.lock : undefined;
    if (lock && me.role !== 'moderator' && !actor.presenter && state.locks[lock]) {
      throw new CommandError('locked', `A moderator has locked this (${name})`);
    }
    const caller: LiveCaller = { meetingId: who.meetingId, me, state, socket };
    if (isLiveRequest(name)) {
      const result = await this.requests.get(name)!(caller, parsed.data as never);
      return { ok: true, result };
    }
    const out = await this.transients.get(name)!(caller, parsed.data as never);
    if (out && 'batched' in spec) this.enqueue(caller.meetingId, name, out);
    else if (out) this.relay(caller, name, out);
    return { ok: true };
  }

  /** Batched relays wait for the next flush, one array per meeting, message and recipients. */
  private enqueue(meetingId: string, name: string, out: { to: 'others' | string[]; relay: unknown }) {
    const to = out.to === 'others' ? null : [...out.to].sort();
    const key = `${meetingId}\n${name}\n${to?.join(',') ?? '*'}`;
    const batch = this.batches.get(key);
    if (batch) batch.items.push(out.relay);
    else this.batches.set(key, { meetingId, name, to, items: [out.relay] });
    this.flusher ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush() {
    this.flusher = undefined;
    const batches = [...this.batches.values()];
    this.batches.clear();
    const io = this.io;
    if (!io) return;
    for (const b of batches) {
      const room = meetingRoom(b.meetingId);
      // To the whole meeting, the sender included: one encoding for every socket (clients skip their own).
      if (!b.to) {
        io.to(room).emit(b.name, b.items);
        continue;
      }
      const to = new Set(b.to);
      for (const id of io.sockets.adapter.rooms.get(room) ?? []) {
        const socket = io.sockets.sockets.get(id);
        const them = socket && identityOf(socket);
        if (them && to.has(them.participantId)) socket.emit(b.name, b.items);
      }
    }
  }

  private relay(from: LiveCaller, name: string, out: { to: 'others' | string[]; relay: unknown }) {
    const room = meetingRoom(from.meetingId);
    if (out.to === 'others') return void from.socket.to(room).emit(name, out.relay);
    const to = new Set(out.to);
    for (const id of from.socket.nsp.adapter.rooms.get(room) ?? []) {
      const other = from.socket.nsp.sockets.get(id);
      const them = other && identityOf(other);
      if (them && to.has(them.participantId)) other.emit(name, out.relay);
    }
  }
}
