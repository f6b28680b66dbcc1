import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { PresentationsModule } from '../presentations/presentations.module';
import { NotesDocuments } from './notes-documents';
import { NotesController } from './notes.controller';
import { NotesLive } from './notes.live';
import { NotesPdf } from './notes-pdf';

@Module({
  imports: [MeetingsModule, PresentationsModule],
  controllers: [NotesController],
  providers: [NotesDocuments, NotesLive, NotesPdf],
  exports: [NotesDocuments, NotesPdf],
})
export class NotesModule {}
