import { Redis } from 'ioredis';
import { IoRedisClient } from './ioredis-client.js';
import { MemoryRedisClient } from './memory/memory-redis-client.js';
import type { MemoryKeyspace } from './memory/keyspace.js';
import type { RedisClient } from './redis-client.js';

export interface RedisClientOptions {
  /** `REDIS_URL` (redis:// or rediss://). Unset or empty: the in-process adapter. */
  url?: string;
  /** Prepended to every key, e.g. 'jmg:'; see README.md for the convention. */
  keyPrefix?: string;
  /** Connection name shown by CLIENT LIST, e.g. 'benefits:points-consumer'. */
  name?: string;
  /** Real Redis only: connect on the first command instead of at once. */
  lazyConnect?: boolean;
  /** In-process adapter only: a private keyspace instead of the process-wide one. */
  keyspace?: MemoryKeyspace;
}

/**
 * While Redis is unreachable a command waits for this many reconnection attempts (about 50 + 100 + 200 ms
 * of backoff on a refused connection) and then rejects with MaxRetriesPerRequestError, so callers see a
 * failure within a second and retry on their own schedule (the event relay leaves events in the outbox).
 * ioredis' default of 20 would hold requests for a minute or more.
 */
const MAX_RETRIES_PER_REQUEST = 3;
const CONNECT_TIMEOUT_MS = 5000;
/**
 * After disconnect() ioredis waits this long for the socket's 'close' before destroying it. A socket that
 * already failed never emits 'close' again, so with Redis down the timer alone would hold a shutting-down
 * process for ioredis' default 2 s.
 */
const DISCONNECT_TIMEOUT_MS = 300;

/**
 * A Redis client: ioredis when `url` is set, else the in-process adapter with the same interface and
 * semantics. The offline queue stays enabled: commands issued before the connection is ready (at start-up,
 * during a reconnect) wait for it, bounded by MAX_RETRIES_PER_REQUEST. ioredis keeps reconnecting with
 * exponential backoff (capped at 5 s) for as long as the client is open.
 */
export function createRedisClient(options: RedisClientOptions = {}): RedisClient {
  const keyPrefix = options.keyPrefix ?? '';
  if (!options.url) return new MemoryRedisClient({ keyPrefix, keyspace: options.keyspace });
  // The URL may carry a password, so the message does not repeat it.
  if (!/^rediss?:\/\//.test(options.url)) throw new Error('Redis URL must start with redis:// or rediss://');
  const redis = new Redis(options.url, {
    keyPrefix,
    connectionName: options.name,
    lazyConnect: options.lazyConnect ?? false,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    enableOfflineQueue: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
  return new IoRedisClient(redis, keyPrefix);
}

/**
 * Closes a client for shutdown: QUIT (which lets commands already sent finish), falling back to an
 * immediate disconnect when that takes longer than `timeoutMs` — a reader blocked with BLOCK 0 would
 * otherwise hold QUIT forever — or fails because Redis is down.
 */
export async function closeRedisClient(client: RedisClient, timeoutMs = 2000): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  // Settled either way, so a QUIT cut short by disconnect() does not surface as an unhandled rejection.
  const quitting = client.quit().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  try {
    const outcome = await Promise.race([quitting, timedOut]);
    if (outcome !== 'closed') client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
