import type { KeyValueCache, KeyValueCacheSetOptions } from './key-value-cache.js';
import { ttlMilliseconds } from './key-value-cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The cache in this process, for `npm start` and tests without REDIS_URL. Entries expire lazily when read;
 * beyond `maxEntries` the least recently written goes first (a Map keeps insertion order), so a long-running
 * process stays bounded.
 */
export class MemoryKeyValueCache implements KeyValueCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttlMs = ttlMilliseconds(options);
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: ttlMs === null ? Infinity : Date.now() + ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
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
