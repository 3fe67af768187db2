// Redis URLs (redis://user:pass@host:port/db, rediss:// for TLS): parsed into ioredis options, shown with the password masked.
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisTarget {
  /** ioredis options (no retry limits set: each user adds its own). */
  options: RedisOptions;
  /** The URL as it may be printed: the password is `***`. */
  shown: string;
}

/** The URL with any password replaced by `***` (also for a URL that does not parse). */
function maskRedisUrl(url: string): string {
  // The scheme is optional here, and a password may hold '/': everything from the user's ':' to the last '@' goes.
  return url.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?[^:@/]*):[^@]*@/i, '$1:***@');
}

/** Parses a Redis URL; throws an Error whose message shows it masked. */
export function parseRedisUrl(url: string): RedisTarget {
  const shown = maskRedisUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid Redis URL "${shown}": expected redis://[user:password@]host[:port][/db] or rediss://…`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`invalid Redis URL "${shown}": the scheme must be redis:// or rediss:// (TLS)`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error(`invalid Redis URL "${shown}": the path must be a database number, got "/${db}"`);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: parsed.hostname } } : {}),
  };
  return { options, shown };
}

/** Connects once and PINGs; throws an Error naming the (masked) URL when Redis cannot be reached or refuses us. */
export async function probeRedis(target: RedisTarget, timeoutMs = 5000): Promise<void> {
  const client = new Redis({
    ...target.options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // reported through the rejected promise below
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const password = target.options.password;
    const safe = password ? reason.split(password).join('***') : reason;
    throw new Error(`cannot use Redis at ${target.shown}: ${safe}`);
  } finally {
    client.disconnect();
  }
}
