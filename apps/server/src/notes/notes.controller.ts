import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { NOTES_FRAGMENT } from '@estrade/protocol';
import { HttpLimits } from '../limits/http-limits';
import { CommandBus } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { NO_CACHE, sendBytes } from '../presentations/file-response';
import { PresentationsAccess } from '../presentations/presentations-access';
import { PresentationsService } from '../presentations/presentations.service';
import { addressOf } from '../web/client-address';
import { NotesDocuments } from './notes-documents';
import { notesHtml, notesText } from './notes-export';
import { NotesPdf } from './notes-pdf';
import { Limit } from '../web/http-limit.guard';

const FORMATS = {
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
} as const;

/**
 * The shared notes as files: downloads for everyone in the meeting, and a new presentation made
 * of them for moderators. The files token of a participant, as for presentations' files.
 */
@Controller('api/notes')
export class NotesController {
  constructor(
    private readonly notes: NotesDocuments,
    private readonly access: PresentationsAccess,
    private readonly presentations: PresentationsService,
    private readonly bus: CommandBus,
    private readonly limits: HttpLimits,
    private readonly pdfs: NotesPdf,
  ) {}

  /** GET /api/notes/notes.(txt|html|pdf)?access=<files token> */
  @Get('notes.:format')
  @Limit('download')
  async download(@Req() req: Request, @Res() res: Response, @Param('format') format: string) {
    if (!Object.hasOwn(FORMATS, format)) throw new CommandError('not_found', 'Notes come as txt, html or pdf');
    const { meetingId, actor, state } = await this.access.caller(req);
    // A PDF is made for the request: an export, beyond the route's download rate.
    if (format === 'pdf') this.limits.take('export', addressOf(req), { meetingId, participantId: actor.id });
    const doc = await this.notes.document(meetingId);
    const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
    const title = `${state.roomName} — notes`;
    const bytes =
      format === 'txt'
        ? Buffer.from(notesText(fragment), 'utf8')
        : format === 'html'
          ? Buffer.from(notesHtml(fragment, title), 'utf8')
          : await this.pdfs.make(doc, title, `${meetingId}/${actor.id}`);
    sendBytes(res, bytes, FORMATS[format as keyof typeof FORMATS], NO_CACHE, `${title}.${format}`, 'attachment');
  }

  /**
   * POST /api/notes/presentation?access=<files token>: the notes as a PDF, added to the meeting's
   * presentations as an upload is (and shown, if the moderator presents).
   */
  @Post('presentation')
  @Limit('export')
  async presentation(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { meetingId, actor, state } = await this.access.caller(req);
    if (actor.role !== 'moderator')
      throw new CommandError('forbidden', 'Only moderators turn the notes into a presentation');
    const name = `${state.roomName} — notes.pdf`;
    const pdf = await this.pdfs.make(await this.notes.document(meetingId), name, `${meetingId}/${actor.id}`);
    const file = await this.presentations.store(await this.presentations.receive(Readable.from([Buffer.from(pdf)])));
    const uploadId = this.presentations.holdUpload({ meetingId, participantId: actor.id, name, file });
    try {
      const reply = await this.bus.execute(meetingId, actor.id, { type: 'presentation.add', uploadId });
      if (!reply.ok) throw new CommandError(reply.code, reply.message);
      const presentationId = this.presentations.upload(uploadId, meetingId, actor.id)!.presentationId!;
      if (state.presenterId === actor.id)
        await this.bus.execute(meetingId, actor.id, { type: 'presentation.show', presentationId });
      res.status(201);
      return { presentationId, fileId: file.fileId, pages: file.pages };
    } finally {
      this.presentations.releaseUpload(uploadId);
    }
  }
}
