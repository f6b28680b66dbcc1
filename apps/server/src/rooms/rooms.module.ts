import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { PresentationsModule } from '../presentations/presentations.module';
import { SessionsModule } from '../sessions/sessions.module';
import { RoomsController } from './rooms.controller';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';

@Module({
  imports: [MeetingsModule, SessionsModule, PresentationsModule],
  controllers: [RoomsController],
  providers: [RoomsRepository, RoomsService],
  exports: [RoomsService],
})
export class RoomsModule {}
