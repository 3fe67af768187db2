// `baton runs prune`: remove old runs' folders (by age or keeping the newest N), never one a live driver holds.
import { parseDuration } from '../blueprint/duration.js';
import { parseTime } from '../report/format.js';
import { formatDateTime } from '../report/status-view.js';
import { removeRun, resolveStateDir, StoreError } from '../store/index.js';
import { EXIT, UsageError, type CommandIO } from './io.js';
import { listRunRows, type ListedRun } from './runs.js';

export interface PruneOptions {
  olderThan?: string;
  keep?: number;
  dryRun: boolean;
  /** One JSON document on stdout; the human lines go to stderr. */
  json?: boolean;
  stateDir?: string;
}

export function pruneRuns(io: CommandIO, o: PruneOptions): number {
  if ((o.olderThan === undefined) === (o.keep === undefined)) {
    throw new UsageError('runs prune needs exactly one of --older-than <duration> and --keep <n>', 'baton runs prune --older-than 30d  or  baton runs prune --keep 20');
  }
  const stateDir = resolveStateDir(o.stateDir, io.env, io.cwd);
  const runs = listRunRows(io, stateDir);
  let doomed: ListedRun[];
  if (o.olderThan !== undefined) {
    const ageMs = parseDuration(o.olderThan);
    if (ageMs === null) throw new UsageError(`invalid --older-than "${o.olderThan}": use a duration such as 12h, 7d or 30d`);
    const cutoff = Date.now() - ageMs;
    doomed = runs.filter((r) => parseTime(r.started_at, Number.POSITIVE_INFINITY) < cutoff);
  } else {
    doomed = runs.slice(o.keep);
  }
  const verb = o.dryRun ? 'would remove' : 'removed';
  const out = o.json ? io.stderr : io.stdout;
  const removedIds: string[] = [];
  const keptLive: string[] = [];
  for (const run of doomed) {
    if (run.holder) {
      io.stderr.write(`kept ${run.id}: it is being driven by pid ${run.holder.pid} on ${run.holder.host}\n`);
      keptLive.push(run.id);
      continue;
    }
    if (!o.dryRun) {
      try {
        removeRun(stateDir, run.id);
      } catch (err) {
        // A driver may have taken the run between listing and removal.
        if (!(err instanceof StoreError) || err.code !== 'locked') throw err;
        io.stderr.write(`kept ${run.id}: ${err.message}\n`);
        keptLive.push(run.id);
        continue;
      }
    }
    removedIds.push(run.id);
    out.write(`${verb} ${run.id} (${run.workflow}, ${run.status}, started ${formatDateTime(parseTime(run.started_at, 0))})\n`);
  }
  const removed = removedIds.length;
  const kept = runs.length - removed;
  io.stderr.write(`${verb} ${removed} run${removed === 1 ? '' : 's'}, ${kept} ${o.dryRun ? 'would be ' : ''}kept\n`);
  if (o.json) io.stdout.write(`${JSON.stringify({ dry_run: o.dryRun, removed: removedIds, kept_live: keptLive }, null, 2)}\n`);
  return EXIT.ok;
}
