import { closeRedis } from '../redis-connection.js';
import type { FailOpenRedis } from './fail-open-redis.js';
import type { KeyValueCache, KeyValueCacheSetOptions } from './key-value-cache.js';
import { ttlMilliseconds } from './key-value-cache.js';

/** The cache on Redis strings (GET, SET … PX, DEL), every call failing open through `FailOpenRedis`. */
export class RedisKeyValueCache implements KeyValueCache {
  constructor(
    private readonly redis: FailOpenRedis,
    private readonly keyPrefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const value = await this.redis.run('get', (r) => r.get(this.keyPrefix + key), null);
    return value ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttlMs = ttlMilliseconds(options);
    const full = this.keyPrefix + key;
    await this.redis.run(
      'set',
      (r) => (ttlMs === null ? r.set(full, value) : r.set(full, value, 'PX', ttlMs)),
      null,
    );
  }

  delete(key: string): Promise<boolean> {
    return this.deleteMany([key]);
  }

  async deleteMany(keys: readonly string[]): Promise<boolean> {
    if (keys.length === 0) return true;
    return this.redis.run(
      'delete',
      async (r) => {
        await r.del(...keys.map((key) => this.keyPrefix + key));
        return true;
      },
      false,
    );
  }

  close(): Promise<void> {
    return closeRedis(this.redis.redis);
  }
}
