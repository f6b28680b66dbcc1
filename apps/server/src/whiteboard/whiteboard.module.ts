import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { WhiteboardCommands } from './whiteboard.commands';
import { WhiteboardLive } from './whiteboard.live';

@Module({ imports: [MeetingsModule], providers: [WhiteboardCommands, WhiteboardLive], exports: [WhiteboardCommands] })
export class WhiteboardModule {}
