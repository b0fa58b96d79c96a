import { deleteRedisKeys } from '../tools/local-federation/delete-redis-keys.js';
import { testKeyPrefix } from './test-key-prefix.js';

/**
 * The Redis side of a port's contract suite: REDIS_URL (unset: only the in-process side runs), a key prefix
 * of the file's own whose keys are deleted after the suite, and client options under which every failure
 * is thrown, because in a contract suite a failure is a broken contract, not something to answer around.
 */
export function contractRedis(name: string) {
  const url = process.env.REDIS_URL;
  const keyPrefix = testKeyPrefix(name);
  afterAll(async () => {
    if (url) await deleteRedisKeys(url, keyPrefix);
  });
  const strictClient = {
    url,
    keyPrefix,
    name,
    onError: (error: Error): never => {
      throw error;
    },
    timeoutMs: 1_000,
  };
  return { url, keyPrefix, strictClient };
}
