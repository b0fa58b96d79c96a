import type { RedisOptions } from 'ioredis';
import { Redis } from 'ioredis';

/**
 * After disconnect() ioredis waits this long for the socket's 'close' before destroying it. A socket that
 * already failed never emits 'close' again, so with Redis down the timer alone would hold a shutting-down
 * process for ioredis' default 2 s.
 */
const DISCONNECT_TIMEOUT_MS = 300;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * An ioredis connection to `url` (redis:// or rediss://). ioredis keeps reconnecting with backoff for as long
 * as the connection is open. Its connection-level 'error' events are swallowed: every failed command rejects
 * its own promise, which is where callers handle it, and a reconnect loop would otherwise print
 * "Unhandled error event" to stderr.
 */
export function connectRedis(url: string, options: RedisOptions): Redis {
  // The URL may carry a password, so the message does not repeat it.
  if (!/^rediss?:\/\//.test(url)) throw new Error('Redis URL must start with redis:// or rediss://');
  const redis = new Redis(url, {
    connectTimeout: CONNECT_TIMEOUT_MS,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    ...options,
  });
  return swallowConnectionErrors(redis);
}

/** A second connection with the same options (ioredis' `duplicate()` leaves out the listeners). */
export const duplicateRedis = (redis: Redis): Redis => swallowConnectionErrors(redis.duplicate());

function swallowConnectionErrors(redis: Redis): Redis {
  return redis.on('error', () => undefined);
}

/**
 * Closes a connection for shutdown: QUIT (which lets commands already sent finish), falling back to an
 * immediate disconnect when that takes longer than `timeoutMs` — a read blocked in XREADGROUP would hold
 * QUIT until it returns — or fails because Redis is down.
 */
export async function closeRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  // Settled either way, so a QUIT cut short by disconnect() does not surface as an unhandled rejection.
  const quitting = redis.quit().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  try {
    if ((await Promise.race([quitting, timedOut])) !== 'closed') redis.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
