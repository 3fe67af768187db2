// Typed store errors: every failure a user can cause or meet on disk, with the file it concerns.
import { BatonError, EXIT } from '../errors/exit.js';

export type StoreErrorCode =
  | 'not-found'
  | 'ambiguous'
  | 'exists'
  | 'corrupt'
  | 'foreign'
  | 'future-version'
  | 'locked'
  | 'io'
  | 'invalid-id';

/** Every store failure, from an unknown run to a full disk, is the user's to see and fix: exit 2, no stack trace. */
export class StoreError extends BatonError {
  readonly exitCode = EXIT.usage;
  readonly code: StoreErrorCode;
  readonly file: string | null;

  constructor(code: StoreErrorCode, message: string, file: string | null = null) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** True when `err` is a Node system error with this errno code (e.g. 'ENOENT'). */
export function hasErrno(err: unknown, code: string): boolean {
  return errnoCode(err) === code;
}

/** Turn a system error from `action` ("writing", "reading", ...) on `file` into a StoreError 'io' with a plain message. */
export function ioError(err: unknown, action: string, file: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = errnoCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOSPC':
      return new StoreError('io', `disk full while ${action} ${file}`, file);
    case 'EDQUOT':
      return new StoreError('io', `disk quota exceeded while ${action} ${file}`, file);
    case 'EACCES':
    case 'EPERM':
      return new StoreError('io', `permission denied while ${action} ${file}`, file);
    case 'EROFS':
      return new StoreError('io', `read-only file system while ${action} ${file}`, file);
    default:
      return new StoreError('io', `error while ${action} ${file}: ${detail}`, file);
  }
}
