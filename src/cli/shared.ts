// Helpers every command module shares: option parsers, the drive flags, and the context a command registers with.
import { InvalidArgumentError, type Command } from 'commander';
import type { DriveFlags } from '../app/drive.js';
import { openExecutor } from '../app/executor-choice.js';
import type { CommandIO } from '../app/io.js';
import { printWarnings } from '../app/run-view.js';

export interface CommandContext {
  io: CommandIO;
  /** Records the exit code of the command that ran. */
  setExit(code: number): void;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Every command that reads runs takes this flag, with this help. */
export const STATE_DIR_HELP = 'where runs are kept (default: $BATON_STATE_DIR or ./.baton)';

/** `--env-file` (repeatable), taken by run, resume, retry and rerun. */
export function withEnvFileOption(cmd: Command): Command {
  return cmd.option('--env-file <file>', "a dotenv file added to baton's environment for the run's tasks (repeatable; a later one wins); resume, retry and rerun reuse the run's unless given again", collect, []);
}

/** Flags shared by the commands that drive a run (run, resume, retry, rerun). */
export function withDriveOptions(cmd: Command): Command {
  return cmd
    .option('--concurrency <n>', 'most command tasks running at once (overrides the blueprint)', positiveInt)
    .option('--keep-going', 'fail_fast: false everywhere: let other branches finish after a failure', false)
    .option('--json', 'print exactly one JSON summary on stdout at the end', false)
    .option('--quiet', 'print only errors', false)
    .option('--verbose', "stream tasks' output to stderr with a [task] prefix", false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .option('--junit <file>', 'write a JUnit XML report of the run to <file> when it ends (default: $BATON_JUNIT)')
    .option('--no-ci-annotations', 'inside GitHub Actions: no annotations, groups, masks or step summary')
    .option('--executor <name>', 'where command tasks run: local (default) or bullmq (workers, via Redis)')
    .option('--redis <url>', 'with --executor bullmq: redis://[user:pass@]host[:port][/db] or rediss:// (default: $BATON_REDIS_URL)');
}

/** Drives with the executor the flags ask for (connected first: an unreachable Redis stops before anything is written). */
export async function withExecutor(io: CommandIO, opts: Record<string, unknown>, drive: (flags: DriveFlags) => Promise<number>): Promise<number> {
  const flags = driveFlags(opts);
  const executor = await openExecutor(io.env, opts.executor as string | undefined, opts.redis as string | undefined, (text) => printWarnings(io, [text]));
  try {
    return await drive(executor ? { ...flags, executor } : flags);
  } finally {
    await executor?.close();
  }
}

export function driveFlags(opts: Record<string, unknown>): DriveFlags {
  return {
    concurrency: opts.concurrency as number | undefined,
    keepGoing: Boolean(opts.keepGoing),
    json: Boolean(opts.json),
    quiet: Boolean(opts.quiet),
    verbose: Boolean(opts.verbose),
    stateDir: opts.stateDir as string | undefined,
    junit: opts.junit as string | undefined,
    ciAnnotations: opts.ciAnnotations !== false,
    envFiles: (opts.envFile as string[] | undefined) ?? [],
  };
}
