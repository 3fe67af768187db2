// What a command needs from the outside world, passed in so tests and the CLI use the same code.
import { BatonError, EXIT } from '../errors/exit.js';

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A user's mistake (bad usage, bad input, unknown run): reported as one message, exit code 2, no stack trace. */
export class UsageError extends BatonError {
  readonly exitCode = EXIT.usage;
}

// Commands take the exit codes from here with the rest of what they need from the outside world.
export { EXIT };

export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Exit code of a command whose reader went away (`baton logs --follow | head`), as a shell shows for SIGPIPE. */
export const EXIT_OUTPUT_CLOSED = 141;

/**
 * Whether this process drives (or drove) a run. Its reader going away must not stop a run (the state, logs and
 * `baton status` tell everything), while a command that only prints has nothing left to do.
 */
export const driving = { active: false };

/** Errors that a --json document already on stdout carries: the CLI prints no second document for them. */
const inJsonDocument = new WeakSet<object>();

export function markShownInJson(err: unknown): void {
  if (typeof err === 'object' && err !== null) inJsonDocument.add(err);
}

export function shownInJson(err: unknown): boolean {
  return typeof err === 'object' && err !== null && inJsonDocument.has(err);
}
