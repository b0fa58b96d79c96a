import { closeRedis, connectRedis } from '../../subgraphs/shared/redis-connection.js';

/** SCAN MATCH is a glob: a prefix containing *, ?, [ or \ must match those characters literally. */
const escapeGlob = (value: string): string => value.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Deletes every key under `prefix` on the Redis at `url` and returns how many: what a test run or a
 * benchmark wrote under a prefix of its own. SCAN walks the whole keyspace, so this is for tests and
 * maintenance, never request paths. Refuses an empty prefix: that would empty a shared database.
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  if (prefix === '') throw new Error('deleteRedisKeys needs a non-empty prefix: it would delete every key');
  const redis = connectRedis(url, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    const stream = redis.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>)
      if (keys.length > 0) deleted += await redis.del(...keys);
  } finally {
    await closeRedis(redis);
  }
  return deleted;
}
