import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccessCommands } from '../access/access.commands';
import { ChatCommands } from '../chat/chat.commands';
import { ControlsCommands } from '../controls/controls.commands';
import { LayoutCommands } from '../layout/layout.commands';
import { CommandBus, type CommandHandlers } from '../meetings/command-bus';
import { MeetingsCommands } from '../meetings/meetings.commands';
import { ParticipantsCommands } from '../participants/participants.commands';
import { PresentationsCommands } from '../presentations/presentations.commands';
import { WhiteboardCommands } from '../whiteboard/whiteboard.commands';
import { TimerCommands } from '../timer/timer.commands';
import { PollsCommands } from '../polls/polls.commands';
import { BreakoutsCommands } from '../breakouts/breakouts.commands';

/**
 * Every command's one handler, from the feature that owns it. Each feature's handlers cover
 * exactly its slice's commands, and the whole must satisfy `CommandHandlers`: a command without
 * a handler, or with two, does not compile (see command-registry.type-spec.ts).
 */
@Injectable()
export class CommandRegistry implements OnModuleInit {
  constructor(
    private readonly bus: CommandBus,
    private readonly participants: ParticipantsCommands,
    private readonly controls: ControlsCommands,
    private readonly access: AccessCommands,
    private readonly chat: ChatCommands,
    private readonly presentations: PresentationsCommands,
    private readonly whiteboard: WhiteboardCommands,
    private readonly timer: TimerCommands,
    private readonly polls: PollsCommands,
    private readonly breakouts: BreakoutsCommands,
    private readonly layout: LayoutCommands,
    private readonly meetings: MeetingsCommands,
  ) {}

  onModuleInit() {
    this.bus.use({
      ...this.participants.handlers(),
      ...this.controls.handlers(),
      ...this.access.handlers(),
      ...this.chat.handlers(),
      ...this.presentations.handlers(),
      ...this.whiteboard.handlers(),
      ...this.timer.handlers(),
      ...this.polls.handlers(),
      ...this.breakouts.handlers(),
      ...this.layout.handlers(),
      ...this.meetings.handlers(),
    } satisfies CommandHandlers);
  }
}
