// Turns a `run:` script and an optional `shell:` setting into the argv to spawn.
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, basename, join } from 'node:path';
import { isPosixShell } from '../blueprint/shells.js';

const SCRIPT_PLACEHOLDER = '{0}';

let bashFound: boolean | undefined;

/** Is `bash` on PATH? Looked up once per process: the answer does not change during a run. */
function hasBash(): boolean {
  if (bashFound === undefined) {
    bashFound = (process.env.PATH ?? '').split(delimiter).some((dir) => {
      if (dir === '') return false;
      try {
        accessSync(join(dir, 'bash'), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  }
  return bashFound;
}

function defaultShell(script: string, bashPath = 'bash'): { file: string; args: string[] } {
  if (bashPath === 'bash' && !hasBash()) return { file: 'sh', args: ['-e', '-c', script] };
  return { file: bashPath, args: ['-eo', 'pipefail', '-c', script] };
}

/**
 * argv for a `run:` script: no shell → `bash -eo pipefail -c <script>` (or `sh -e -c` when bash is missing);
 * `bash` → same; the other POSIX shells of blueprint/shells.ts (also as a path, e.g. /bin/zsh) → `<sh> -e -c`; any other shell string is
 * split into words: with `{0}` the script is written to `scriptPath` and `{0}` replaced by that path,
 * else `<words...> -c <script>`.
 */
export function resolveShell(
  shell: string | undefined,
  script: string,
  scriptPath: string,
): { file: string; args: string[] } {
  const words = (shell ?? '').trim().split(/\s+/).filter((word) => word !== '');
  const [first, ...rest] = words;
  if (first === undefined) return defaultShell(script);
  if (rest.length === 0 && !first.includes(SCRIPT_PLACEHOLDER)) {
    const name = basename(first);
    if (name === 'bash') return defaultShell(script, first);
    if (isPosixShell(name)) return { file: first, args: ['-e', '-c', script] };
  }
  if (words.some((word) => word.includes(SCRIPT_PLACEHOLDER))) {
    mkdirSync(dirname(scriptPath), { recursive: true });
    writeFileSync(scriptPath, script);
    const [file, ...args] = words.map((word) => word.split(SCRIPT_PLACEHOLDER).join(scriptPath));
    return { file: file as string, args };
  }
  return { file: first, args: [...rest, '-c', script] };
}
