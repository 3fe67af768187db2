// Diagnostics: errors and warnings about a user's files, located by source range and printed with a code frame.
import { BatonError, EXIT } from '../errors/exit.js';
import type { SourceRange } from './model.js';

type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `unknown-key`, `duplicate-id`, `expression-syntax`. */
  code: string;
  message: string;
  /** Where the problem is; absent for problems about a file as a whole that has no text (missing, unreadable). */
  range?: SourceRange;
  /** The file the diagnostic is about when it has no range. */
  file?: string;
  related?: { message: string; range: SourceRange }[];
}


/** A blueprint that has errors where one that loads is needed (a run's own copy, `--reload`): the user's to fix, exit 2. */
export class BlueprintError extends BatonError {
  readonly exitCode = EXIT.usage;
}

/** An error diagnostic at a source range. */
export function errorAt(code: string, message: string, range: SourceRange, related?: Diagnostic['related']): Diagnostic {
  return related && related.length > 0 ? { severity: 'error', code, message, range, related } : { severity: 'error', code, message, range };
}

/** A warning diagnostic at a source range. */
export function warningAt(code: string, message: string, range: SourceRange): Diagnostic {
  return { severity: 'warning', code, message, range };
}

/** An error about a file as a whole (missing, unreadable, …), without a position. */
export function fileError(code: string, message: string, file: string): Diagnostic {
  return { severity: 'error', code, message, file };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
