// Where baton keeps its state: the state directory and the fixed file names inside a run folder.
import path from 'node:path';

const RUNS_DIR = 'runs';
export const STATE_FILE = 'state.json';
export const JOURNAL_FILE = 'events.jsonl';
export const BLUEPRINT_FILE = 'blueprint.yaml';
export const LOGS_DIR = 'logs';
export const LOCK_FILE = 'driver.lock';
/** Removed runs are moved here first so a half-deleted run never looks like a run. */
export const TRASH_DIR = 'trash';

/** --state-dir, else $BATON_STATE_DIR, else <cwd>/.baton; always absolute. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag !== undefined && flag !== '') return path.resolve(cwd, flag);
  const fromEnv = env['BATON_STATE_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(cwd, fromEnv);
  return path.resolve(cwd, '.baton');
}

export function runsDir(stateDir: string): string {
  return path.join(stateDir, RUNS_DIR);
}

export function runDir(stateDir: string, id: string): string {
  return path.join(stateDir, RUNS_DIR, id);
}
