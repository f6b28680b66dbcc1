import { Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FileName, type Presentation, type UploadResponse } from '@estrade/protocol';
import { CommandBus, permit } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { baseName, NO_CACHE, sendFile } from './file-response';
import { PresentationsAccess } from './presentations-access';
import { mb, PresentationsService } from './presentations.service';
import { closeAfterAnswer } from '../web/http-errors';
import { Limit } from '../web/http-limit.guard';

/** Content-addressed files never change: browsers keep them (privately: they are a meeting's). */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * Uploads and the files of presentations. Every route takes the files token of a participant
 * (`access` in the query, or `Authorization: Bearer`), and serves only files of presentations in
 * that participant's meeting, with fixed content types so nothing uploaded runs in a browser.
 */
@Controller('api/presentations')
export class PresentationsController {
  constructor(
    private readonly presentations: PresentationsService,
    private readonly access: PresentationsAccess,
    private readonly bus: CommandBus,
  ) {}

  /** PUT /api/presentations?name=<file name>, the file as the body. */
  @Put()
  @Limit('upload')
  async upload(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('name') name: unknown) {
    const { meetingId, actor, state } = await this.access.caller(req);
    const fileName = FileName.safeParse(name);
    if (!fileName.success) throw new CommandError('malformed', 'The file name (query parameter name) is missing');
    // Refused before reading a byte of the body: the role, then a declared size over the limit.
    permit({ type: 'presentation.add', uploadId: randomUUID() }, state, actor);
    const { maxBytes } = this.presentations.limits;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) {
      res.setHeader('Connection', 'close');
      throw new CommandError('too_large', `The file is larger than the ${mb(maxBytes)} limit`);
    }
    let received;
    try {
      received = await this.presentations.receive(req);
    } catch (err) {
      // The rest of an oversized body is not read.
      closeAfterAnswer(res);
      throw err;
    }
    const file = await this.presentations.store(received);
    const uploadId = this.presentations.holdUpload({ meetingId, participantId: actor.id, name: fileName.data, file });
    try {
      const reply = await this.bus.execute(meetingId, actor.id, { type: 'presentation.add', uploadId });
      if (!reply.ok) throw new CommandError(reply.code, reply.message);
      const presentationId = this.presentations.upload(uploadId, meetingId, actor.id)!.presentationId!;
      res.status(201);
      return { presentationId, fileId: file.fileId, cached: file.cached } satisfies UploadResponse;
    } finally {
      this.presentations.releaseUpload(uploadId);
    }
  }

  @Get(':fileId/document.pdf')
  @Limit('read')
  async document(@Req() req: Request, @Res() res: Response, @Param('fileId') fileId: string) {
    await this.shown(req, fileId);
    sendFile(res, this.presentations.pdfPath(fileId), 'application/pdf', IMMUTABLE, 'document.pdf', 'inline');
  }

  @Get(':fileId/thumbnails/:page')
  @Limit('read')
  async thumbnail(
    @Req() req: Request,
    @Res() res: Response,
    @Param('fileId') fileId: string,
    @Param('page') page: string,
  ) {
    const p = await this.shown(req, fileId);
    const n = pageNumber(page, p);
    sendFile(res, this.presentations.thumbnailPath(fileId, n), 'image/jpeg', IMMUTABLE, `${n}.jpg`, 'inline');
  }

  /** The text and size of every page, for search, screen readers and quick polls. */
  @Get(':fileId/text')
  @Limit('read')
  async text(
    @Req() req: Request,
    @Param('fileId') fileId: string,
  ): Promise<{ pages: string[]; sizes: { width: number; height: number }[] }> {
    await this.shown(req, fileId);
    const pages = await this.presentations.pages(fileId);
    if (!pages) throw new CommandError('not_found', 'The text of this presentation is not ready yet');
    return { pages: pages.texts, sizes: pages.sizes };
  }

  /**
   * GET …/download/pdf: only when the presenter allowed it (moderators always may). Each download
   * has a route of its own: …/download/annotated is the whiteboard's.
   */
  @Get(':fileId/download/pdf')
  @Limit('download')
  async downloadPdf(@Req() req: Request, @Res() res: Response, @Param('fileId') fileId: string) {
    const p = await this.downloadable(req, fileId);
    sendFile(
      res,
      this.presentations.pdfPath(fileId),
      'application/pdf',
      NO_CACHE,
      `${baseName(p.name)}.pdf`,
      'attachment',
    );
  }

  /** GET …/download/original: the file as uploaded, on the same terms. */
  @Get(':fileId/download/original')
  @Limit('download')
  async downloadOriginal(@Req() req: Request, @Res() res: Response, @Param('fileId') fileId: string) {
    const p = await this.downloadable(req, fileId);
    sendFile(res, this.presentations.originalPath(fileId), 'application/octet-stream', NO_CACHE, p.name, 'attachment');
  }

  /** A presentation of the caller's meeting made of this file. */
  private async shown(req: Request, fileId: string): Promise<Presentation> {
    return (await this.access.presentationsOf(req, fileId)).presentations[0];
  }

  private async downloadable(req: Request, fileId: string): Promise<Presentation> {
    const { caller, presentations } = await this.access.presentationsOf(req, fileId);
    return this.access.toDownload(caller, presentations);
  }
}

function pageNumber(raw: string, p: Presentation): number {
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= p.pages)) throw new CommandError('not_found', 'No such page');
  return n;
}
