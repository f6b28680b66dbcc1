import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { hashAccessCode, newAccessCode } from './access-code';
import {
  CreateRoomRequest,
  JoinRequest,
  type CreateRoomResponse,
  type JoinInfo,
  type JoinResponse,
  type WaitingResponse,
  type WaitingStatus,
} from '@estrade/protocol';
import { parseBody } from '../web/http-errors';
import { RoomsService } from './rooms.service';

@Controller('api')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post('rooms')
  create(@Body() body: unknown): Promise<CreateRoomResponse> {
    const { name, password, settings } = parseBody(CreateRoomRequest, body);
    return this.rooms.create(name, password, settings);
  }

  @Get('join/:code')
  describe(@Param('code') code: string): Promise<JoinInfo> {
    return this.rooms.describe(code);
  }

  @Post('join/:code')
  @HttpCode(200)
  join(
    @Param('code') code: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JoinResponse | WaitingResponse> {
    return this.rooms.join(code, parseBody(JoinRequest, body), deviceOf(req, res));
  }

  @Get('waiting/:ticket')
  waiting(@Param('ticket') ticket: string): Promise<WaitingStatus> {
    return this.rooms.waitingStatus(ticket);
  }
}

const DEVICE_COOKIE = 'estrade_device';

/**
 * The browser's device id: a random cookie, set on first join and kept a year. Only its hash is
 * logged; a ban holds on it, so a banned student cannot come back under a new name from the same
 * browser.
 */
function deviceOf(req: Request, res: Response): string {
  let device = (req.cookies as Record<string, string> | undefined)?.[DEVICE_COOKIE];
  if (!device || !/^[A-Za-z0-9_-]{22}$/.test(device)) {
    device = newAccessCode();
    res.cookie(DEVICE_COOKIE, device, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 * 1000 });
  }
  return hashAccessCode(device);
}
