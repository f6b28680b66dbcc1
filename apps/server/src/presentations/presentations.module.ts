import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PresentationsCommands } from './presentations.commands';
import { PresentationsController } from './presentations.controller';
import { PresentationsLive } from './presentations.live';
import { PresentationsRepository } from './presentations.repository';
import { PresentationsService } from './presentations.service';

@Module({
  imports: [MeetingsModule, SessionsModule],
  providers: [PresentationsRepository, PresentationsService, PresentationsCommands, PresentationsLive],
  controllers: [PresentationsController],
  exports: [PresentationsService, PresentationsCommands],
})
export class PresentationsModule {}
