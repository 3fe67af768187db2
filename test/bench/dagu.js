// Finds or installs (once, cached under the temp dir) the Dagu binary from npm, for the peer comparison.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DAGU_CACHE = join(tmpdir(), 'baton-bench-dagu');
const PACKAGE = '@dagu-org/dagu-linux-x64';
const BINARY = join(DAGU_CACHE, 'node_modules', '@dagu-org', 'dagu-linux-x64', 'bin', 'dagu');
/** Written after a failed install so later runs skip the attempt instead of waiting on the network again. */
const FAILED_MARK = join(DAGU_CACHE, 'install-failed');

function works(binary) {
  const probe = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 ? (probe.stdout || probe.stderr).trim().split('\n').pop() : null;
}

/** {binary, version} of a usable Dagu, or {skipped: reason}. */
export function findDagu() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skipped: `no Dagu npm build for ${process.platform}-${process.arch}` };
  const onPath = spawnSync('sh', ['-c', 'command -v dagu'], { encoding: 'utf8' }).stdout.trim();
  if (onPath !== '') {
    const version = works(onPath);
    if (version) return { binary: onPath, version };
  }
  if (!existsSync(BINARY)) {
    if (existsSync(FAILED_MARK)) return { skipped: `npm install of ${PACKAGE} failed before (delete ${FAILED_MARK} to retry)` };
    mkdirSync(DAGU_CACHE, { recursive: true });
    const install = spawnSync('npm', ['install', '--prefix', DAGU_CACHE, '--no-audit', '--no-fund', '--loglevel=error', PACKAGE], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (install.status !== 0 || !existsSync(BINARY)) {
      writeFileSync(FAILED_MARK, `${install.stderr ?? ''}${install.error ?? ''}`);
      return { skipped: `npm install ${PACKAGE} failed` };
    }
  }
  const version = works(BINARY);
  return version ? { binary: BINARY, version } : { skipped: `${BINARY} does not run` };
}
