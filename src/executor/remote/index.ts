// The remote executor over Redis + BullMQ (loaded only with --executor bullmq) and what a worker shares with it.
import { RemoteExecutor } from './dispatcher.js';
import { parseRedisUrl, probeRedis } from './redis-url.js';

export { RemoteExecutor } from './dispatcher.js';
export { parseRedisUrl, probeRedis } from './redis-url.js';
export * from './protocol.js';
export { startWatchdog, type Watchdog } from './watchdog-client.js';

/** Checks that Redis answers (an Error naming the masked URL otherwise), then opens the executor. */
export async function connectRemoteExecutor(url: string, warn?: (text: string) => void): Promise<RemoteExecutor> {
  const target = parseRedisUrl(url);
  await probeRedis(target);
  return new RemoteExecutor(target, warn);
}
