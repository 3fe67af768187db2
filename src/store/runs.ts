// The runs of a state directory: listing, resolving a `<run>` argument, and removing a run.
import fs from 'node:fs';
import path from 'node:path';
import { StoreError, hasErrno, ioError } from './errors.js';
import { acquireLockFile, liveLockHolder, releaseLockFile, type LockInfo } from './lock.js';
import { lastRunStatus } from './journal.js';
import { JOURNAL_FILE, LOCK_FILE, STATE_FILE, TRASH_DIR, runDir, runsDir } from './paths.js';
import { isValidRunId } from './run-id.js';
import { ensureDir } from './ensure-dir.js';

/** The run status the tail of a run folder's journal last recorded (see lastRunStatus), or null. */
export function recordedRunStatus(dir: string): string | null {
  return lastRunStatus(path.join(dir, JOURNAL_FILE));
}

/** The live holder of a run folder's driver lock, or null (no lock, or its process is dead). */
export function isLockHeld(dir: string): LockInfo | null {
  return liveLockHolder(path.join(dir, LOCK_FILE));
}

/** Every runs/* folder that has a state.json, unsorted. */
export function listRuns(stateDir: string): { id: string; dir: string }[] {
  const root = runsDir(stateDir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return [];
    throw ioError(err, 'reading', root);
  }
  const runs: { id: string; dir: string }[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isValidRunId(entry.name)) continue;
    const dir = path.join(root, entry.name);
    if (fs.existsSync(path.join(dir, STATE_FILE))) runs.push({ id: entry.name, dir });
  }
  return runs;
}

/** When a run started: state.json `started_at`, else the folder's mtime (a damaged state file still sorts). */
function startedAtMs(dir: string): number {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8')) as { started_at?: unknown };
    if (typeof state.started_at === 'string') {
      const ms = Date.parse(state.started_at);
      if (!Number.isNaN(ms)) return ms;
    }
  } catch {
    // fall through to the folder time
  }
  try {
    return fs.statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

function mostRecentRun(stateDir: string, runs: { id: string; dir: string }[]): string {
  let best: { id: string; ms: number } | null = null;
  for (const run of runs) {
    const ms = startedAtMs(run.dir);
    // Ties go to the greater id: generated ids sort by time.
    if (best === null || ms > best.ms || (ms === best.ms && run.id > best.id)) best = { id: run.id, ms };
  }
  if (best === null) throw new StoreError('not-found', `no runs in ${stateDir}`);
  return best.id;
}

const MAX_LISTED_MATCHES = 10;

/** Resolve a `<run>` argument: an exact id, `last`, or a unique substring of an id. */
export function resolveRunRef(stateDir: string, ref: string): string {
  const runs = listRuns(stateDir);
  if (runs.some((run) => run.id === ref)) return ref;
  if (ref === 'last') return mostRecentRun(stateDir, runs);
  const matches = ref === '' ? [] : runs.filter((run) => run.id.includes(ref)).map((run) => run.id);
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0) throw new StoreError('not-found', `no run matching "${ref}" in ${stateDir}`);
  matches.sort();
  const shown = matches.slice(0, MAX_LISTED_MATCHES).join(', ');
  const more = matches.length > MAX_LISTED_MATCHES ? ` and ${matches.length - MAX_LISTED_MATCHES} more` : '';
  throw new StoreError('ambiguous', `"${ref}" matches ${matches.length} runs: ${shown}${more}`);
}

/** Delete a run folder; refuses (StoreError 'locked') while a live driver holds it. */
export function removeRun(stateDir: string, id: string): void {
  if (!isValidRunId(id)) throw new StoreError('invalid-id', `invalid run id "${id}"`);
  const dir = runDir(stateDir, id);
  if (!fs.existsSync(dir)) throw new StoreError('not-found', `no run "${id}" in ${stateDir}`, dir);
  const lockPath = path.join(dir, LOCK_FILE);
  // Holding the lock ourselves keeps a driver from starting on the run while it is being removed.
  const { held } = acquireLockFile(lockPath, `run ${id}`);
  const trash = path.join(stateDir, TRASH_DIR);
  const doomed = path.join(trash, `${id}-${process.pid}-${Date.now()}`);
  try {
    ensureDir(trash);
    // Move first so a half-deleted folder is never listed as a run.
    fs.renameSync(dir, doomed);
  } catch (err) {
    releaseLockFile(lockPath, held);
    throw ioError(err, 'removing', dir);
  }
  try {
    fs.rmSync(doomed, { recursive: true, force: true });
  } catch (err) {
    throw ioError(err, 'removing', doomed);
  }
}
