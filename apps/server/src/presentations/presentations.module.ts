import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PresentationsCommands } from './presentations.commands';
import { PresentationsController } from './presentations.controller';
import { PresentationsGateway } from './presentations.gateway';
import { PresentationsRepository } from './presentations.repository';
import { PresentationsService } from './presentations.service';

@Module({
  imports: [MeetingsModule, SessionsModule],
  providers: [PresentationsRepository, PresentationsService, PresentationsCommands, PresentationsGateway],
  controllers: [PresentationsController],
  exports: [PresentationsService, PresentationsCommands],
})
export class PresentationsModule {}
