import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { PresentationsModule } from '../presentations/presentations.module';
import { WhiteboardCommands } from './whiteboard.commands';
import { WhiteboardExportController } from './whiteboard-export.controller';
import { WhiteboardExportService } from './whiteboard-export.service';
import { WhiteboardLive } from './whiteboard.live';

@Module({
  imports: [MeetingsModule, PresentationsModule],
  providers: [WhiteboardCommands, WhiteboardLive, WhiteboardExportService],
  controllers: [WhiteboardExportController],
  exports: [WhiteboardCommands, WhiteboardExportService],
})
export class WhiteboardModule {}
