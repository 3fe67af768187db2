// Runs the CLI's main() in this process (so a test can make fs calls fail on cue), capturing its output.
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, text: () => text };
}

export async function batonInProcess(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const env = { ...process.env, CI: 'true', NO_COLOR: '1', BATON_STATE_DIR: undefined, GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, BATON_JUNIT: undefined };
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env, cwd });
  return { code, stdout: out.text(), stderr: err.text() };
}

const ENOSPC = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

const realWriteSync = fs.writeSync;
const realRenameSync = fs.renameSync;

/** Every write whose data contains `marker` fails as on a full disk; everything else is written. */
export function failWritesContaining(marker: string): void {
  vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
    if (Buffer.isBuffer(data) && data.includes(marker)) throw ENOSPC();
    return (realWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as typeof fs.writeSync);
}

/** Renames onto a file whose name ends with `suffix` fail as on a full disk (an atomic replace that cannot finish), after the first `spare`. */
export function failRenamesOnto(suffix: string, spare = 0): void {
  let seen = 0;
  vi.spyOn(fs, 'renameSync').mockImplementation(((from: fs.PathLike, to: fs.PathLike) => {
    if (String(to).endsWith(suffix) && ++seen > spare) throw ENOSPC();
    return realRenameSync(from, to);
  }) as typeof fs.renameSync);
}
