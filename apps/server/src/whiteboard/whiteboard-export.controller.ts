import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NO_CACHE, sendBytes, sendFile } from '../presentations/file-response';
import { WhiteboardExportService } from './whiteboard-export.service';
import { Limit } from '../web/http-limit.guard';

@Controller('api/presentations')
export class WhiteboardExportController {
  constructor(private readonly exports: WhiteboardExportService) {}

  /**
   * GET /api/presentations/:fileId/download/annotated?presentation=<presentation id>: the PDF
   * with that presentation's annotations drawn in; files token and permission as for …/download/pdf.
   */
  @Get(':fileId/download/annotated')
  @Limit('download')
  async annotated(
    @Req() req: Request,
    @Res() res: Response,
    @Param('fileId') fileId: string,
    @Query('presentation') presentation: unknown,
  ) {
    const pdf = await this.exports.annotated(req, fileId, presentation);
    if ('bytes' in pdf) sendBytes(res, pdf.bytes, 'application/pdf', NO_CACHE, pdf.name, 'attachment');
    else sendFile(res, pdf.file, 'application/pdf', NO_CACHE, pdf.name, 'attachment');
  }
}
