import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { NotesDocuments } from './notes-documents';
import { NotesLive } from './notes.live';

@Module({ imports: [MeetingsModule], providers: [NotesDocuments, NotesLive], exports: [NotesDocuments] })
export class NotesModule {}
