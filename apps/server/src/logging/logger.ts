import pino from 'pino';
import type { LoggerService } from '@nestjs/common';

export const logger = pino({ name: 'estrade', level: 'info' });

/** Nest's own messages go through pino too, so every line is structured. */
export class PinoNestLogger implements LoggerService {
  log(message: unknown, context?: string) {
    logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    logger.trace({ context }, String(message));
  }
}
