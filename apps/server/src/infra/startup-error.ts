/**
 * A component that could not start, said in one line a person can act on: which component,
 * why, and what to do. main() prints it and exits non-zero; never a stack trace.
 */
export class StartupError extends Error {
  constructor(
    readonly component: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`${component}: ${reason}. ${hint}`);
  }
}
