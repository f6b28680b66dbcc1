import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { ParticipantsCommands } from './participants.commands';
import { PresenceService } from './presence.service';

@Module({
  imports: [MeetingsModule],
  providers: [ParticipantsCommands, PresenceService],
  exports: [PresenceService, ParticipantsCommands],
})
export class ParticipantsModule {}
