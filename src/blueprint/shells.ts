// The one table of shells baton knows: which `shell:` values are POSIX shells (run with `-e`, take `${{ }}` as env vars).
import { basename } from 'node:path';

/** POSIX shells: `${{ }}` values reach them as env vars, and they run a script with `-e -c` (bash adds pipefail). */
export const POSIX_SHELLS: readonly string[] = ['bash', 'sh', 'dash', 'zsh', 'ksh', 'ash'];

const POSIX_SET = new Set(POSIX_SHELLS);

/** The program a `shell:` value names, without its folder (`/bin/zsh -x` → `zsh`); undefined when empty. */
export function shellProgram(shell: string): string | undefined {
  const first = shell.trim().split(/\s+/)[0];
  return first === undefined || first === '' ? undefined : basename(first);
}

/** Is `program` (a bare name or path) one of the POSIX shells? */
export function isPosixShell(program: string): boolean {
  return POSIX_SET.has(basename(program));
}
