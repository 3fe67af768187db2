// `baton runs` (list runs, newest first) and `baton runs prune` (remove old runs).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RUN_STATUSES } from '../../report/status-look.js';
import { positiveInt, type CommandContext, STATE_DIR_HELP } from '../shared.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return n;
}


export function register(program: Command, { io, setExit }: CommandContext): void {
  const runs = program
    .command('runs')
    .description('list runs, newest first, with workflow, status, start time and duration')
    .addOption(
      new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES),
    )
    .option('--workflow <name>', "only runs of this workflow (the blueprint's name)")
    .option('--limit <n>', 'at most this many runs', positiveInt)
    .option('--json', 'print an array of {id, workflow, status, started_at, ended_at, duration_ms}', false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText('after', '\nExamples:\n  baton runs\n  baton runs --status failed --limit 5\n  baton runs --workflow deploy --json | jq -r .[0].id\n  baton runs prune --keep 20')
    .action(async (opts) => {
      const { listRunsCommand } = await import('../../app/runs.js');
      setExit(listRunsCommand(io, { status: opts.status, workflow: opts.workflow, limit: opts.limit, json: opts.json, stateDir: opts.stateDir }));
    });

  runs
    .command('prune')
    .description("remove old runs' folders (never a run a driver is running)")
    .option('--older-than <duration>', 'remove runs started longer ago than this (e.g. 12h, 7d, 30d)')
    .option('--keep <n>', 'keep only the newest n runs', wholeNumber)
    .option('--dry-run', 'only say what would be removed', false)
    .option('--json', 'print {"dry_run", "removed": [ids], "kept_live": [ids]}; the human lines go to stderr', false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText('after', '\nExamples:\n  baton runs prune --older-than 30d\n  baton runs prune --keep 20 --dry-run')
    .action(async (opts) => {
      const { pruneRuns } = await import('../../app/prune.js');
      setExit(pruneRuns(io, { olderThan: opts.olderThan, keep: opts.keep, dryRun: opts.dryRun, json: opts.json, stateDir: opts.stateDir ?? runs.opts().stateDir }));
    });
}
