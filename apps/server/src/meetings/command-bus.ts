import { Injectable } from '@nestjs/common';
import {
  Command,
  COMMAND_PERMISSIONS,
  actorIn,
  contextOf,
  decide,
  hasUnstorableText,
  type CommandOf,
  type CommandReply,
  type CommandType,
  type ErrorCode,
  type MeetingState,
  type Participant,
  type Slice,
} from '@estrade/protocol';
import { RateLimiter } from '../limits/rate-limiter';
import { logger } from '../logging/logger';
import { CommandError } from './command-error';
export type { Emit, Emitted } from './emit';
import { withActor, type Emit } from './emit';
import { MeetingsService } from './meetings.service';

export interface CommandContext {
  meetingId: string;
  /** From the session token, never from the payload. */
  actor: Participant;
  state: MeetingState;
}

export interface HandlerResult {
  events: Emit[];
  /**
   * Stored elsewhere before these events are logged (an anonymous poll's voter, kept apart from
   * the log). Written in batches alongside the log's, so a handler does not wait for it.
   */
  before?: Promise<unknown>;
}

export type CommandHandler<T extends CommandType> = (
  ctx: CommandContext,
  command: CommandOf<T>,
) => HandlerResult | Promise<HandlerResult>;

/** Exactly one handler per command: the registry of all of them must satisfy this. */
export type CommandHandlers = { [T in CommandType]: CommandHandler<T> };

/** A feature's handlers: exactly the commands of its slice, no more, no fewer. */
export type SliceHandlers<S extends Slice<readonly any[], readonly any[]>> = {
  [T in Extract<S['commands'][number]['shape']['type']['value'], CommandType>]: CommandHandler<T>;
};

/** What the server decides on its own (timers, LiveKit, joins, processing), and a result for the caller. */
export interface SystemDecision<R> {
  events: Emit[];
  result?: R;
}

/**
 * command → schema → permission → handler → events → log → fold → broadcast, and the one
 * `system` path for what the server decides by itself. Nothing else changes a meeting.
 */
@Injectable()
export class CommandBus {
  private handlers: Partial<CommandHandlers> = {};

  constructor(
    private readonly meetings: MeetingsService,
    private readonly limiter: RateLimiter,
  ) {}

  /** Called once, by the registry, with exactly one handler per command (checked by its type). */
  use(handlers: CommandHandlers): void {
    this.handlers = handlers;
  }

  private handlerOf(type: string): CommandHandler<CommandType> | undefined {
    return Object.hasOwn(this.handlers, type)
      ? (this.handlers[type as CommandType] as CommandHandler<CommandType>)
      : undefined;
  }

  /**
   * Events the server originates, decided on the meeting's current state with nothing in
   * between; logged with no actor unless the decision names one.
   */
  system<R = undefined>(
    meetingId: string,
    decide: (state: MeetingState) => SystemDecision<R> | Promise<SystemDecision<R>>,
    now: Date = new Date(),
  ): Promise<R> {
    return this.meetings.decide(
      meetingId,
      async (state) => {
        const out = await decide(state);
        return { items: out.events.map((e) => withActor(e, null)), result: out.result as R };
      },
      now,
    );
  }

  async execute(meetingId: string, participantId: string, payload: unknown): Promise<CommandReply> {
    try {
      const parsed = Command.safeParse(payload);
      if (!parsed.success) {
        const type = (payload as { type?: unknown } | null)?.type;
        const known = typeof type === 'string' && this.handlerOf(type) !== undefined;
        return known || typeof type !== 'string'
          ? refuse('malformed', `Malformed command: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
          : refuse('unknown_command', `Unknown command: ${type.slice(0, 60)}`);
      }
      const command = parsed.data;
      const handler = this.handlerOf(command.type);
      if (!handler) return refuse('unknown_command', `Unknown command: ${command.type}`);
      if (hasUnstorableText(payload)) {
        return refuse('malformed', 'Malformed command: text holds a NUL character or a broken UTF-16 surrogate');
      }
      // Per participant and per kind, before the meeting's queue: a flood is refused here and
      // never reaches the log, the broadcast or LiveKit.
      if (!this.limiter.take(`${meetingId}/${participantId}/${command.type}`, COMMAND_PERMISSIONS[command.type].rate)) {
        return refuse('too_fast', `You are sending ${command.type} too fast: wait a moment`);
      }
      await this.meetings.decide(meetingId, async (state) => {
        const actor = state.participants[participantId];
        if (!actor || !actor.present) throw new CommandError('unauthenticated', 'You are not in this meeting');
        if (state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
        permit(command, state, actor);
        const out = await handler({ meetingId, actor, state }, command);
        return { items: out.events.map((e) => withActor(e, participantId)), result: undefined, before: out.before };
      });
      return { ok: true };
    } catch (err) {
      if (err instanceof CommandError) return refuse(err.code, err.message);
      logger.error({ err, meetingId, participantId }, 'command failed');
      return refuse('internal', 'Something went wrong on the server');
    }
  }
}

/** The permission table's answer for this participant in this state; refusals are thrown. */
export function permit(command: Command, state: MeetingState, actor: Participant): void {
  const decision = decide(command, actorIn(state, actor), state.locks, contextOf(state));
  if (decision === 'forbidden') throw new CommandError('forbidden', `Your role may not ${command.type}`);
  if (decision === 'locked') throw new CommandError('locked', `A moderator has locked this (${command.type})`);
  if (decision === 'away') {
    throw new CommandError('forbidden', `You are in a breakout room: ${command.type} is for the main room`);
  }
}

function refuse(code: ErrorCode, message: string): CommandReply {
  return { ok: false, code, message };
}
