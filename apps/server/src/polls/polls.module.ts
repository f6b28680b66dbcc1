import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { PollVoters } from './poll-voters';
import { PollsCommands } from './polls.commands';

@Module({ imports: [MeetingsModule], providers: [PollsCommands, PollVoters], exports: [PollsCommands] })
export class PollsModule {}
