import { Module } from '@nestjs/common';
import { LivekitModule } from '../livekit/livekit.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { NotesModule } from '../notes/notes.module';
import { PresentationsModule } from '../presentations/presentations.module';
import { SessionsModule } from '../sessions/sessions.module';
import { WhiteboardModule } from '../whiteboard/whiteboard.module';
import { BreakoutRooms } from './breakout-rooms';
import { BreakoutsCommands } from './breakouts.commands';
import { BreakoutsLive } from './breakouts.live';

@Module({
  imports: [MeetingsModule, SessionsModule, LivekitModule, PresentationsModule, NotesModule, WhiteboardModule],
  providers: [BreakoutsCommands, BreakoutRooms, BreakoutsLive],
  exports: [BreakoutsCommands],
})
export class BreakoutsModule {}
