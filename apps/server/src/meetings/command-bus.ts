import { Injectable } from '@nestjs/common';
import {
  Command,
  COMMAND_PERMISSIONS,
  decide,
  hasUnstorableText,
  type CommandOf,
  type CommandReply,
  type CommandType,
  type ErrorCode,
  type MeetingEvent,
  type MeetingState,
  type Participant,
} from '@estrade/protocol';
import { RateLimiter } from '../limits/rate-limiter';
import { logger } from '../logging/logger';
import { CommandError } from './command-error';
import { MeetingsService } from './meetings.service';

export interface CommandContext {
  meetingId: string;
  /** From the session token, never from the payload. */
  actor: Participant;
  state: MeetingState;
}

export interface HandlerResult {
  events: MeetingEvent[];
}

export type CommandHandler<T extends CommandType> = (
  ctx: CommandContext,
  command: CommandOf<T>,
) => HandlerResult | Promise<HandlerResult>;

/**
 * command → schema → permission → handler → events → log → fold → broadcast.
 * Each feature registers the handlers of its commands; this is the only way a command changes a meeting.
 */
@Injectable()
export class CommandBus {
  private readonly handlers = new Map<CommandType, CommandHandler<CommandType>>();

  constructor(
    private readonly meetings: MeetingsService,
    private readonly limiter: RateLimiter,
  ) {}

  register<T extends CommandType>(type: T, handler: CommandHandler<T>): void {
    if (this.handlers.has(type)) throw new Error(`two handlers for ${type}`);
    this.handlers.set(type, handler as unknown as CommandHandler<CommandType>);
  }

  async execute(meetingId: string, participantId: string, payload: unknown): Promise<CommandReply> {
    try {
      const parsed = Command.safeParse(payload);
      if (!parsed.success) {
        const type = (payload as { type?: unknown } | null)?.type;
        const known = typeof type === 'string' && this.handlers.has(type as CommandType);
        return known || typeof type !== 'string'
          ? refuse('malformed', `Malformed command: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
          : refuse('unknown_command', `Unknown command: ${type.slice(0, 60)}`);
      }
      const command = parsed.data;
      const handler = this.handlers.get(command.type);
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
        return { items: out.events.map((event) => ({ actor: participantId, event })), result: undefined };
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
  const decision = decide(
    command,
    { id: actor.id, role: actor.role, presenter: state.presenterId === actor.id },
    state.locks,
    {
      roleOf: (id) => state.participants[id]?.role,
      authorOf: (id) => state.chat.find((m) => m.id === id)?.from,
    },
  );
  if (decision === 'forbidden') throw new CommandError('forbidden', `Your role may not ${command.type}`);
  if (decision === 'locked') throw new CommandError('locked', `A moderator has locked this (${command.type})`);
}

function refuse(code: ErrorCode, message: string): CommandReply {
  return { ok: false, code, message };
}
