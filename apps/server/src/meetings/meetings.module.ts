import { Module } from '@nestjs/common';
import { CommandBus } from './command-bus';
import { MeetingsCommands } from './meetings.commands';
import { MeetingsRepository } from './meetings.repository';
import { MeetingsService } from './meetings.service';

@Module({
  providers: [MeetingsRepository, MeetingsService, CommandBus, MeetingsCommands],
  exports: [MeetingsService, CommandBus],
})
export class MeetingsModule {}
