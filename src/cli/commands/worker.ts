// `baton worker`: run command tasks of runs driven elsewhere (--executor bullmq), taken from Redis.
import os from 'node:os';
import type { Command } from 'commander';
import { collect, positiveInt, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('worker')
    .description('run command tasks that deciders started with --executor bullmq, taken from a Redis queue')
    .option('--redis <url>', 'redis://[user:pass@]host[:port][/db] or rediss:// (default: $BATON_REDIS_URL)')
    .option('--pool <name>', 'a pool to serve (repeatable; default: default)', collect, [])
    .option('--concurrency <n>', 'most attempts running at once per pool (default: number of CPUs)', positiveInt)
    .addHelpText('after', '\nCtrl-C finishes the attempts under way, then exits; a second Ctrl-C hands them back (they run again).\n\nExamples:\n  baton worker --redis redis://queue.internal:6379\n  BATON_REDIS_URL=rediss://baton:secret@queue:6380 baton worker --pool gpu --concurrency 2')
    .action(async (opts: { redis?: string; pool: string[]; concurrency?: number }) => {
      const { runWorker } = await import('../../app/worker.js');
      const pools = opts.pool.length > 0 ? [...new Set(opts.pool)] : ['default'];
      setExit(await runWorker(io, { redis: opts.redis ?? io.env.BATON_REDIS_URL, pools, concurrency: opts.concurrency ?? os.availableParallelism() }));
    });
}
