// A small tmpfs of the test's own (a disk that fills, a read-only file system), where this process may mount one.
import { spawnSync } from 'node:child_process';
import { tempDir } from './cli.js';

/** Mounts a tmpfs with these `-o` options at a fresh folder; null where mounting is not allowed (not root). */
export function mountTmpfs(options: string): string | null {
  const dir = tempDir('baton-tmpfs-');
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0 ? dir : null;
}

export function unmountTmpfs(dir: string): void {
  spawnSync('umount', [dir]);
}
