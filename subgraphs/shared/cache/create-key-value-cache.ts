import { connectRedis } from '../redis-connection.js';
import { FailOpenRedis, backstopCommandTimeout } from './fail-open-redis.js';
import type { KeyValueCache } from './key-value-cache.js';
import { MemoryKeyValueCache } from './memory-key-value-cache.js';
import { RedisKeyValueCache } from './redis-key-value-cache.js';

export interface KeyValueCacheOptions {
  /** `REDIS_URL` (redis:// or rediss://). Unset or empty: a cache in this process. */
  url?: string;
  /** Prepended to every key, e.g. 'jmg:' (REDIS_KEY_PREFIX). */
  keyPrefix?: string;
  /** Connection name shown by CLIENT LIST, e.g. 'profile:cache'. */
  name?: string;
  /** Where a failure the cache answered around goes (log it): Redis down, hung, or refusing. */
  onError: (error: Error) => void;
  /** How long one call may wait for Redis. */
  timeoutMs?: number;
}

/**
 * A cached read is worth it only when it is much faster than computing: a local Redis answers in well under
 * a millisecond, so 50 ms means it is in trouble.
 */
export const CACHE_TIMEOUT_MS = 50;
const COOL_DOWN_MS = 1_000;

/**
 * The cache: on Redis when `url` is set, else in this process. The Redis connection has no offline queue
 * (a command while disconnected rejects at once) and a command timeout (a hung Redis costs `timeoutMs`
 * once per cool-down): see `FailOpenRedis`.
 */
export function createKeyValueCache(options: KeyValueCacheOptions): KeyValueCache {
  if (!options.url) return new MemoryKeyValueCache();
  const timeoutMs = options.timeoutMs ?? CACHE_TIMEOUT_MS;
  const connection = connectRedis(options.url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    commandTimeout: backstopCommandTimeout(timeoutMs),
  });
  const redis = new FailOpenRedis(connection, {
    timeoutMs,
    coolDownMs: COOL_DOWN_MS,
    onError: options.onError,
  });
  return new RedisKeyValueCache(redis, options.keyPrefix ?? '');
}
