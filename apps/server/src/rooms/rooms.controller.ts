import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { newAccessCode } from './access-code';
import {
  CreateRoomRequest,
  JoinRequest,
  type CreateRoomResponse,
  type JoinInfo,
  type JoinResponse,
  type WaitingResponse,
  type Rate,
  type WaitingStatus,
} from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { RateLimiter } from '../limits/rate-limiter';
import { CommandError } from '../meetings/command-error';
import { addressOf } from '../web/client-address';
import { parseBody } from '../web/http-errors';
import { RoomsService } from './rooms.service';
import { Limit } from '../web/http-limit.guard';

/** A waiting page asks every 1.5 s; a little slack, then refused. */
const WAITING_POLL: Rate = { burst: 5, everyMs: 1000 };

/** Joins and room creation limit themselves per address (with their configured rates), waiting pages per ticket. */
@Controller('api')
@Limit('in-handler')
export class RoomsController {
  private readonly joinRate: Rate;
  private readonly roomRate: Rate;

  constructor(
    private readonly rooms: RoomsService,
    private readonly limiter: RateLimiter,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.joinRate = runtime.config.limits.joins;
    this.roomRate = runtime.config.limits.rooms;
  }

  @Post('rooms')
  create(@Body() body: unknown, @Req() req: Request): Promise<CreateRoomResponse> {
    this.limit(`${addressOf(req)}/rooms`, this.roomRate, 'Too many rooms created from this address: try again later');
    const { name, password, settings } = parseBody(CreateRoomRequest, body);
    return this.rooms.create(name, password, settings);
  }

  @Get('join/:code')
  describe(@Param('code') code: string, @Req() req: Request): Promise<JoinInfo> {
    this.limitJoins(req);
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
    this.limitJoins(req);
    const request = parseBody(JoinRequest, body);
    return this.rooms.join(code, request, { device: deviceOf(req, res), address: addressOf(req) });
  }

  /** Also per address: a flood of made-up tickets would each get a fresh allowance. */
  @Get('waiting/:ticket')
  @Limit('api')
  waiting(@Param('ticket') ticket: string): Promise<WaitingStatus> {
    this.limit(`waiting/${ticket.slice(-43)}`, WAITING_POLL, 'Asking too often: wait a moment');
    return this.rooms.waitingStatus(ticket);
  }

  /** Join-page lookups and joins share one allowance per address. */
  private limitJoins(req: Request) {
    this.limit(`${addressOf(req)}/join`, this.joinRate, 'Too many joins from this address: wait a moment');
  }

  private limit(key: string, rate: Rate, message: string) {
    if (!this.limiter.take(key, rate)) throw new CommandError('too_fast', message);
  }
}

const DEVICE_COOKIE = 'estrade_device';

/**
 * The browser's device id: a random cookie, set on first join and kept a year. Only a hash of
 * it keyed by room is logged (the same browser looks different in every room); a ban holds on
 * it, so a banned student cannot come back under a new name from the same browser.
 */
function deviceOf(req: Request, res: Response): string {
  let device = (req.cookies as Record<string, string> | undefined)?.[DEVICE_COOKIE];
  if (!device || !/^[A-Za-z0-9_-]{22}$/.test(device)) {
    device = newAccessCode();
    res.cookie(DEVICE_COOKIE, device, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 * 1000 });
  }
  return device;
}
