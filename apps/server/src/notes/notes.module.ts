import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { PresentationsModule } from '../presentations/presentations.module';
import { NotesDocuments } from './notes-documents';
import { NotesController } from './notes.controller';
import { NotesLive } from './notes.live';

@Module({
  imports: [MeetingsModule, PresentationsModule],
  controllers: [NotesController],
  providers: [NotesDocuments, NotesLive],
  exports: [NotesDocuments],
})
export class NotesModule {}
