import { CACHE_TIMEOUT_MS } from '../cache/create-key-value-cache.js';
import { FailOpenRedis, backstopCommandTimeout } from '../cache/fail-open-redis.js';
import { connectRedis } from '../redis-connection.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { countRateLimitFallback } from '../observability/rate-limit-metrics.js';
import type { Clock, RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter, defineTakeToken } from './redis-rate-limiter.js';

export interface RateLimiterOptions {
  /** `REDIS_URL`. Unset or empty: buckets in this process. */
  url?: string;
  /** Prepended to every bucket's key, e.g. 'jmg:rate:'. */
  keyPrefix?: string;
  /** Connection name shown by CLIENT LIST, and the `limiter` label of the fallback counter. */
  name: string;
  /** Where a Redis failure the limiter answered around goes (log it). */
  onError: (error: Error) => void;
  /** How long one take may wait for Redis (default 50 ms, as the cache). */
  timeoutMs?: number;
  clock?: Clock;
}

const COOL_DOWN_MS = 1_000;

/**
 * The rate limiter: on Redis when `url` is set (one bucket per key for all replicas), else in this process.
 * On Redis, a take that fails or waits longer than `timeoutMs` is decided by this process's buckets instead.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? Date.now;
  const memory = new MemoryRateLimiter(clock);
  if (!options.url) return memory;
  const timeoutMs = options.timeoutMs ?? CACHE_TIMEOUT_MS;
  const connection = connectRedis(options.url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    commandTimeout: backstopCommandTimeout(timeoutMs),
  });
  defineTakeToken(connection);
  const redis = new FailOpenRedis(connection, {
    timeoutMs,
    coolDownMs: COOL_DOWN_MS,
    onError: options.onError,
  });
  return new RedisRateLimiter(redis, options.keyPrefix ?? '', memory, clock, () =>
    countRateLimitFallback(options.name),
  );
}
