// `--env-file`: dotenv files that extend baton's own environment for a run; their paths are kept, never their values.
import path from 'node:path';
import { readEnvFile } from '../blueprint/env-files.js';
import type { RunState } from '../engine/core/state.js';
import { UsageError, type CommandIO } from './io.js';

/** Absolute paths of the `--env-file`s given, in order. */
export function envFilePaths(io: CommandIO, given: readonly string[] | undefined): string[] {
  return (given ?? []).map((f) => path.resolve(io.cwd, f));
}

/** baton's environment with the files' values over it (a later file wins); a file that cannot be read is exit 2. */
export function runBaseEnv(io: CommandIO, files: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
  for (const file of files) {
    const read = readEnvFile(file);
    if (!read.ok) throw new UsageError(`--env-file: ${read.message}`, read.missing ? 'the run reads its --env-file files each time a driver starts (run, resume, retry, rerun)' : undefined);
    Object.assign(env, read.values);
  }
  return env;
}

/** The run's env files: those given now replace the recorded ones (kept for the next resume). */
export function runEnvFiles(io: CommandIO, state: RunState, given: readonly string[] | undefined): string[] {
  if (given && given.length > 0) state.options.env_files = envFilePaths(io, given);
  return state.options.env_files ?? [];
}
