import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { hasUnstorableText, type ErrorCode } from '@estrade/protocol';
import type { z } from 'zod';
import { TooFast } from '../limits/http-limits';
import { logger } from '../logging/logger';
import { CommandError } from '../meetings/command-error';

/** A refused request's body is not read: the connection closes once the answer is out. */
export function closeAfterAnswer(res: Response) {
  res.setHeader('Connection', 'close');
  const socket = res.req.socket;
  res.once('finish', () => socket?.destroy());
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (hasUnstorableText(body)) {
    throw new BadRequestException({
      code: 'malformed',
      message: 'Invalid request: text holds a NUL character or a broken UTF-16 surrogate',
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestException({
      code: 'malformed',
      message: `Invalid ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return parsed.data;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  malformed: HttpStatus.BAD_REQUEST,
  invalid_code: HttpStatus.NOT_FOUND,
  not_found: HttpStatus.NOT_FOUND,
  room_closed: HttpStatus.GONE,
  meeting_ended: HttpStatus.GONE,
  forbidden: HttpStatus.FORBIDDEN,
  banned: HttpStatus.FORBIDDEN,
  wrong_password: HttpStatus.FORBIDDEN,
  guests_denied: HttpStatus.FORBIDDEN,
  room_full: HttpStatus.CONFLICT,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  broken_document: HttpStatus.UNPROCESSABLE_ENTITY,
  encrypted: HttpStatus.UNPROCESSABLE_ENTITY,
  too_many_pages: HttpStatus.UNPROCESSABLE_ENTITY,
  conversion_failed: HttpStatus.UNPROCESSABLE_ENTITY,
  conversion_timeout: HttpStatus.UNPROCESSABLE_ENTITY,
  busy: HttpStatus.SERVICE_UNAVAILABLE,
  too_fast: HttpStatus.TOO_MANY_REQUESTS,
  locked: HttpStatus.FORBIDDEN,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** Every API error is `{ code, message }`; never a stack trace. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    if (err instanceof TooFast) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
    if (err instanceof CommandError) {
      res.status(STATUS[err.code] ?? 400).json({ code: err.code, message: err.message });
    } else if (err instanceof HttpException) {
      const body = err.getResponse();
      const payload =
        typeof body === 'object' && body && 'code' in body
          ? body
          : { code: err.getStatus() === 404 ? 'not_found' : 'malformed', message: err.message };
      res.status(err.getStatus()).json(payload);
    } else {
      logger.error({ err }, 'request failed');
      res.status(500).json({ code: 'internal', message: 'Something went wrong on the server' });
    }
  }
}
