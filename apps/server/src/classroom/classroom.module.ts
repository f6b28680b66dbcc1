import { Module } from '@nestjs/common';
import { LivekitModule } from '../livekit/livekit.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { ParticipantsModule } from '../participants/participants.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ClassroomGateway } from './classroom.gateway';

@Module({
  imports: [MeetingsModule, SessionsModule, ParticipantsModule, LivekitModule],
  providers: [ClassroomGateway],
})
export class ClassroomModule {}
