import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { HttpLimits, TooFast } from '../limits/http-limits';
import { HTTP_RATES, type HttpRateKind } from '../limits/http-rates';
import { filesTokenOf } from '../presentations/presentations-access';
import { SessionsService } from '../sessions/sessions.service';
import { addressOf } from './client-address';
import { closeAfterAnswer } from './http-errors';

/**
 * The rate of a route (HTTP_RATES), or `in-handler` for routes that limit themselves (joins and
 * room creation per address, a waiting page per ticket). A route without it gets `api`.
 */
export const Limit = Reflector.createDecorator<HttpRateKind | 'in-handler'>();

/**
 * Every HTTP route of the app passes here before its handler: a flood is refused with
 * `too_fast` (429, Retry-After) before any token is checked against a meeting, any file is
 * opened or any body is read.
 */
@Injectable()
export class HttpLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: HttpLimits,
    private readonly sessions: SessionsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const kind = this.reflector.getAllAndOverride(Limit, [context.getHandler(), context.getClass()]) ?? 'api';
    if (kind === 'in-handler') return true;
    const req = context.switchToHttp().getRequest<Request>();
    // Only the signature is checked here: whether the participant is still present is the route's business.
    const token = 'participant' in HTTP_RATES[kind] ? filesTokenOf(req) : undefined;
    const claims = token ? this.sessions.verifyFilesAccess(token) : null;
    try {
      this.limits.take(kind, addressOf(req), claims);
    } catch (err) {
      if (err instanceof TooFast && hasBody(req)) closeAfterAnswer(context.switchToHttp().getResponse<Response>());
      throw err;
    }
    return true;
  }
}

const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || 'transfer-encoding' in req.headers;
