import { Module } from '@nestjs/common';
import { CommandBus } from './command-bus';
import { Deadlines } from './deadlines';
import { LiveChannel } from './live-channel';
import { MeetingsCommands } from './meetings.commands';
import { MeetingsRepository } from './meetings.repository';
import { MeetingsService } from './meetings.service';

@Module({
  providers: [MeetingsRepository, MeetingsService, CommandBus, MeetingsCommands, Deadlines, LiveChannel],
  exports: [MeetingsService, CommandBus, MeetingsCommands, Deadlines, LiveChannel],
})
export class MeetingsModule {}
