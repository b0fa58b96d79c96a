import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { OperationManifest } from './operation-manifest.js';

/** Apollo Server prefixes its APQ keys with this (APQ_CACHE_PREFIX in @apollo/server). */
const APQ_PREFIX = 'apq:';

/**
 * The APQ store in safelist mode: the published operations, read-only. A published hash is found; a client
 * cannot register anything (writes are dropped), so nothing outside the manifest ever becomes runnable.
 */
export class ManifestQueryCache implements KeyValueCache<string> {
  constructor(private readonly manifest: OperationManifest) {}

  async get(key: string): Promise<string | undefined> {
    return this.manifest.byId.get(key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key);
  }

  async set(): Promise<void> {}

  async delete(): Promise<boolean> {
    return false;
  }
}
