/**
 * A string cache with Apollo's `KeyValueCache` shape (`@apollo/utils.keyvaluecache`), so it also serves as
 * Apollo Server's APQ store (`persistedQueries: { cache }`) as it is. Backed by Redis
 * (`redis-key-value-cache.ts`) or, without REDIS_URL, by a map in this process (`memory-key-value-cache.ts`).
 *
 * A cache never holds up a request: on Redis every operation has a short timeout and fails open (a read
 * answers a miss, a write or delete is dropped, the error goes to the `onError` the cache was made with).
 * Callers therefore never see a cache error, and nothing may depend on a write having happened: entries
 * are only ever an optimisation over recomputing.
 *
 * A rate limiter does not belong here: a token bucket needs an atomic read-modify-write, which get/set cannot
 * express without a race. It gets a port of its own beside this one (a Lua script on Redis, failing open the
 * same way through `FailOpenRedis`).
 */
export interface KeyValueCache {
  /** The value, or undefined when absent, expired, or the cache could not answer. */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void>;
  /** Resolves true when the key is gone, false when the cache could not answer (nothing is certain then). */
  delete(key: string): Promise<boolean>;
  /** As `delete`, for many keys at once. */
  deleteMany(keys: readonly string[]): Promise<boolean>;
  close(): Promise<void>;
}

export interface KeyValueCacheSetOptions {
  /** Seconds the entry lives (fractions allowed); none or null: until deleted or evicted. */
  ttl?: number | null;
}

/** The TTL in milliseconds, or null for none; a TTL that is not a positive number is a programming error. */
export function ttlMilliseconds(options: KeyValueCacheSetOptions | undefined): number | null {
  const ttl = options?.ttl;
  if (ttl === undefined || ttl === null) return null;
  if (!Number.isFinite(ttl) || ttl <= 0)
    throw new RangeError(`cache ttl must be a positive number of seconds, got ${ttl}`);
  return Math.max(1, Math.round(ttl * 1000));
}
