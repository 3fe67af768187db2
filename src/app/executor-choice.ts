// --executor: local subprocesses (the default, nothing more is loaded) or BullMQ workers through Redis (loaded on demand).
import type { Executor } from '../engine/ports.js';
import { UsageError } from './io.js';

const EXECUTORS = ['local', 'bullmq'] as const;

/** An executor that holds connections until closed. */
export type OpenExecutor = Executor & { close(): Promise<void> };

/**
 * The remote executor when asked for, connected (Redis checked); undefined for the local one. Bad choice or URL: exit 2.
 * `warn`: where it says what the decider cannot fix itself (a pool no worker serves).
 */
export async function openExecutor(env: NodeJS.ProcessEnv, name: string | undefined, url: string | undefined, warn?: (text: string) => void): Promise<OpenExecutor | undefined> {
  if (name === undefined || name === 'local') return undefined;
  if (name !== 'bullmq') throw new UsageError(`unknown --executor "${name}": use ${EXECUTORS.join(' or ')}`);
  const redis = url ?? env.BATON_REDIS_URL;
  if (redis === undefined || redis === '') throw new UsageError('--executor bullmq needs --redis URL (or BATON_REDIS_URL)', 'e.g. --redis redis://localhost:6379');
  const { connectRemoteExecutor } = await import('../executor/remote/index.js');
  try {
    return await connectRemoteExecutor(redis, warn);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
