import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { TimerCommands } from './timer.commands';
import { TimerLive } from './timer.live';

@Module({ imports: [MeetingsModule], providers: [TimerCommands, TimerLive], exports: [TimerCommands] })
export class TimerModule {}
