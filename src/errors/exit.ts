// Exit codes and the error every user-facing failure extends: the bottom layer, so any layer may throw one.

/** The exit codes README § Exit codes promises. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * A failure the user can cause or fix (bad usage, bad input, unknown run, unreadable state): the CLI prints its message
 * (and hint) without a stack trace and exits with its code. Anything else is a bug and keeps its stack.
 */
export abstract class BatonError extends Error {
  abstract readonly exitCode: number;
  /** One line telling the user what to do instead, printed after the message. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}
