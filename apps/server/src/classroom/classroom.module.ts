import { Module } from '@nestjs/common';
import { LivekitModule } from '../livekit/livekit.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { ParticipantsModule } from '../participants/participants.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccessModule } from '../access/access.module';
import { ChatModule } from '../chat/chat.module';
import { ControlsModule } from '../controls/controls.module';
import { LayoutModule } from '../layout/layout.module';
import { PresentationsModule } from '../presentations/presentations.module';
import { WhiteboardModule } from '../whiteboard/whiteboard.module';
import { TimerModule } from '../timer/timer.module';
import { PollsModule } from '../polls/polls.module';
import { NotesModule } from '../notes/notes.module';
import { BreakoutsModule } from '../breakouts/breakouts.module';
import { ClassroomGateway } from './classroom.gateway';
import { CommandRegistry } from './command-registry';

@Module({
  imports: [
    MeetingsModule,
    SessionsModule,
    ParticipantsModule,
    LivekitModule,
    ControlsModule,
    AccessModule,
    ChatModule,
    PresentationsModule,
    WhiteboardModule,
    TimerModule,
    PollsModule,
    NotesModule,
    BreakoutsModule,
    LayoutModule,
  ],
  providers: [ClassroomGateway, CommandRegistry],
})
export class ClassroomModule {}
