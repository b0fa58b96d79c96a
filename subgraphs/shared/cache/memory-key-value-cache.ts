import type { KeyValueCache, KeyValueCacheSetOptions } from './key-value-cache.js';
import { ttlMilliseconds } from './key-value-cache.js';
import { ExpiringMap } from './expiring-map.js';

/**
 * The cache in this process, for `npm start` and tests without REDIS_URL. Entries expire lazily when read;
 * beyond `maxEntries` the least recently written goes first (a Map keeps insertion order), so a long-running
 * process stays bounded.
 */
export class MemoryKeyValueCache implements KeyValueCache {
  private readonly entries: ExpiringMap<string>;

  constructor(maxEntries = 10_000) {
    this.entries = new ExpiringMap(maxEntries);
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttlMs = ttlMilliseconds(options);
    this.entries.set(key, value, ttlMs === null ? Infinity : Date.now() + ttlMs);
  }

  async delete(key: string): Promise<boolean> {
    this.entries.delete(key);
    return true;
  }

  async deleteMany(keys: readonly string[]): Promise<boolean> {
    for (const key of keys) this.entries.delete(key);
    return true;
  }

  async close(): Promise<void> {}
}
