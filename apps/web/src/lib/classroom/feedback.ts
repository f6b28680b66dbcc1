/**
 * Runs something a participant asked for: a refusal is shown to them (in their language) rather
 * than thrown. Resolves true when it went through.
 */
export type Run = (action: () => Promise<unknown>) => Promise<boolean>;

/** Asks the participant to confirm (window.confirm in the browser). */
export type Confirm = (question: string) => boolean;
