import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PresentationsAccess } from './presentations-access';
import { PresentationsCommands } from './presentations.commands';
import { PresentationsController } from './presentations.controller';
import { PresentationsLive } from './presentations.live';
import { PresentationsRepository } from './presentations.repository';
import { PresentationsService } from './presentations.service';

@Module({
  imports: [MeetingsModule, SessionsModule],
  providers: [
    PresentationsRepository,
    PresentationsService,
    PresentationsAccess,
    PresentationsCommands,
    PresentationsLive,
  ],
  controllers: [PresentationsController],
  exports: [PresentationsService, PresentationsAccess, PresentationsCommands],
})
export class PresentationsModule {}
