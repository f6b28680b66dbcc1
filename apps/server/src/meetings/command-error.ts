import type { ErrorCode } from '@estrade/protocol';

/** A refused command or request: a stable code the client translates, and an English message. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
