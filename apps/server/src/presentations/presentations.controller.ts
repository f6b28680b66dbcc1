import { Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import {
  FileId,
  FileName,
  type MeetingState,
  type Participant,
  type Presentation,
  type UploadResponse,
} from '@estrade/protocol';
import { CommandBus, permit } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';
import { SessionsService } from '../sessions/sessions.service';
import { mb, PresentationsService } from './presentations.service';

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
    private readonly meetings: MeetingsService,
    private readonly bus: CommandBus,
    private readonly sessions: SessionsService,
  ) {}

  /** PUT /api/presentations?name=<file name>, the file as the body. */
  @Put()
  async upload(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('name') name: unknown) {
    const { meetingId, actor, state } = await this.caller(req);
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
      // The rest of an oversized body is not read: the connection closes once the answer is out.
      res.setHeader('Connection', 'close');
      const socket = req.socket;
      res.once('finish', () => socket?.destroy());
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
  async document(@Req() req: Request, @Res() res: Response, @Param('fileId') fileId: string) {
    await this.shown(req, fileId);
    send(res, this.presentations.pdfPath(fileId), 'application/pdf', IMMUTABLE, 'document.pdf', 'inline');
  }

  @Get(':fileId/thumbnails/:page')
  async thumbnail(
    @Req() req: Request,
    @Res() res: Response,
    @Param('fileId') fileId: string,
    @Param('page') page: string,
  ) {
    const p = await this.shown(req, fileId);
    const n = pageNumber(page, p);
    send(res, this.presentations.thumbnailPath(fileId, n), 'image/jpeg', IMMUTABLE, `${n}.jpg`, 'inline');
  }

  /** The text and size of every page, for search, screen readers and quick polls. */
  @Get(':fileId/text')
  async text(
    @Req() req: Request,
    @Param('fileId') fileId: string,
  ): Promise<{ pages: string[]; sizes: { width: number; height: number }[] }> {
    await this.shown(req, fileId);
    const pages = await this.presentations.pages(fileId);
    if (!pages) throw new CommandError('not_found', 'The text of this presentation is not ready yet');
    return { pages: pages.texts, sizes: pages.sizes };
  }

  /** GET …/download/original or …/download/pdf: only when the presenter allowed it (moderators always may). */
  @Get(':fileId/download/:which')
  async download(
    @Req() req: Request,
    @Res() res: Response,
    @Param('fileId') fileId: string,
    @Param('which') which: string,
  ) {
    const p = await this.shown(req, fileId, true);
    const base = p.name.replace(/\.[^.]*$/, '') || 'presentation';
    if (which === 'pdf') {
      send(
        res,
        this.presentations.pdfPath(fileId),
        'application/pdf',
        'private, no-cache',
        `${base}.pdf`,
        'attachment',
      );
    } else if (which === 'original') {
      send(
        res,
        this.presentations.originalPath(fileId),
        'application/octet-stream',
        'private, no-cache',
        p.name,
        'attachment',
      );
    } else {
      throw new CommandError('not_found', 'Download original or pdf');
    }
  }

  private async caller(req: Request): Promise<{ meetingId: string; actor: Participant; state: MeetingState }> {
    const header = req.headers.authorization;
    const token = typeof req.query.access === 'string' ? req.query.access : header?.replace(/^Bearer /, '');
    const claims = token ? this.sessions.verifyFilesAccess(token) : null;
    if (!claims) throw new CommandError('unauthenticated', 'A valid access token is required');
    const { state } = await this.meetings.state(claims.meetingId);
    const actor = state.participants[claims.participantId];
    if (state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
    if (!actor?.present) throw new CommandError('unauthenticated', 'You are not in this meeting');
    return { meetingId: claims.meetingId, actor, state };
  }

  /** A presentation of the caller's meeting made of this file; `download` also checks it may be downloaded. */
  private async shown(req: Request, fileId: string, download = false): Promise<Presentation> {
    if (!FileId.safeParse(fileId).success) throw new CommandError('not_found', 'No such presentation');
    const { actor, state } = await this.caller(req);
    const all = state.slides.presentations.filter((x) => x.fileId === fileId);
    if (all.length === 0) throw new CommandError('not_found', 'No such presentation in this meeting');
    if (!download) return all[0];
    const mayAlways = actor.role === 'moderator' || state.presenterId === actor.id;
    const p = all.find((x) => x.downloadable) ?? (mayAlways ? all[0] : null);
    if (!p) throw new CommandError('forbidden', 'The presenter has not allowed downloading this presentation');
    return p;
  }
}

function pageNumber(raw: string, p: Presentation): number {
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= p.pages)) throw new CommandError('not_found', 'No such page');
  return n;
}

function send(res: Response, file: string, type: string, cache: string, name: string, disposition: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', cache);
  res.setHeader(
    'Content-Disposition',
    `${disposition}; filename="${ascii(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  // Served by base name from its own folder: `send` then judges only that name (a storage root
  // under a dotted folder must still serve).
  res.sendFile(path.basename(file), { root: path.dirname(file) }, (err) => {
    if (err && !res.headersSent) {
      res.removeHeader('Content-Disposition');
      res.status(404).json({ code: 'not_found', message: 'Not available (yet)' });
    }
  });
}

const ascii = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, '_');
