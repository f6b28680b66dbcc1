import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from './command-bus';

@Injectable()
export class MeetingsCommands implements OnModuleInit {
  constructor(private readonly bus: CommandBus) {}

  onModuleInit() {
    this.bus.register('meeting.end', (_ctx, cmd) => ({
      events: [{ type: 'meeting.ended', roomClosed: cmd.closeRoom, reason: 'moderator' }],
    }));
  }
}
