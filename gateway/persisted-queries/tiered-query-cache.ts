import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';

/**
 * The APQ store of a gateway replica: a bounded LRU in this process in front of a store shared by every
 * replica (Redis, failing open). A hash registered at any replica is found at all of them; while Redis is
 * down, each replica still knows the hashes registered with it, and a client that misses elsewhere simply
 * sends its query again (the APQ protocol's answer to PERSISTED_QUERY_NOT_FOUND).
 */
export class TieredQueryCache implements KeyValueCache<string> {
  constructor(
    private readonly local: KeyValueCache<string>,
    private readonly shared: KeyValueCache<string>,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const local = await this.local.get(key);
    if (local !== undefined) return local;
    const shared = await this.shared.get(key);
    if (shared !== undefined) await this.local.set(key, shared);
    return shared;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await Promise.all([this.local.set(key, value, options), this.shared.set(key, value, options)]);
  }

  async delete(key: string): Promise<void> {
    await Promise.all([this.local.delete(key), this.shared.delete(key)]);
  }
}
