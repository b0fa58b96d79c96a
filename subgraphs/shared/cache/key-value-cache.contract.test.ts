import type { PersistedQueryOptions } from '@apollo/server';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { contractRedis } from '../../../test/contract-redis.js';
import {
  RedisServerProcess,
  freePort,
  redisServerInstalled,
} from '../../../tools/local-federation/redis-server-process.js';
import { createKeyValueCache } from './create-key-value-cache.js';
import { CacheUnavailableError } from './fail-open-redis.js';
import type { KeyValueCache } from './key-value-cache.js';
import { MemoryKeyValueCache } from './memory-key-value-cache.js';

/*
 * What the cache port promises, asserted on the in-process cache always and on a real Redis when REDIS_URL
 * is set; then failing open, on Redis servers that refuse, never answer, or hang.
 */
const { url: redisUrl, keyPrefix, strictClient } = contractRedis('cache-contract');
const backends: [label: string, open: () => KeyValueCache][] = [
  ['in-process cache', () => new MemoryKeyValueCache()],
];
if (redisUrl) {
  backends.push(['Redis cache', () => createKeyValueCache(strictClient)]);
}

describe.each(backends)('KeyValueCache contract on the %s', (_label, open) => {
  let cache: KeyValueCache;

  beforeAll(() => {
    cache = open();
  });

  afterAll(async () => {
    await cache.close();
  });

  it('answers undefined for a missing key, and what was set for a present one', async () => {
    expect(await cache.get('missing')).toBeUndefined();
    await cache.set('name', 'value');
    expect(await cache.get('name')).toBe('value');
    await cache.set('name', 'another');
    expect(await cache.get('name')).toBe('another');
    await cache.set('empty', '');
    expect(await cache.get('empty')).toBe('');
  });

  it('forgets an entry once its ttl (seconds, fractions allowed) has passed', async () => {
    await cache.set('short', 'v', { ttl: 0.8 });
    await cache.set('long', 'v', { ttl: 600 });
    await cache.set('forever', 'v', { ttl: null });
    expect(await cache.get('short')).toBe('v');
    await sleep(1_200);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBe('v');
    expect(await cache.get('forever')).toBe('v');
  });

  it('replaces the ttl on every set: a set without one keeps the entry until deleted', async () => {
    await cache.set('renewed', 'first', { ttl: 0.8 });
    await cache.set('renewed', 'second');
    await sleep(1_200);
    expect(await cache.get('renewed')).toBe('second');
  });

  it('refuses a ttl that is not a positive number of seconds', async () => {
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      await expect(cache.set('bad-ttl', 'v', { ttl })).rejects.toThrow(RangeError);
    expect(await cache.get('bad-ttl')).toBeUndefined();
  });

  it('deletes one key, or many at once, missing ones included', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((key) => cache.set(`del:${key}`, key)));
    expect(await cache.delete('del:a')).toBe(true);
    expect(await cache.delete('del:never-set')).toBe(true);
    expect(await cache.deleteMany(['del:b', 'del:c', 'del:never-set'])).toBe(true);
    expect(await cache.deleteMany([])).toBe(true);
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((key) => cache.get(`del:${key}`)))).toEqual([
      undefined,
      undefined,
      undefined,
      'd',
    ]);
  });

  it("has Apollo's KeyValueCache shape, so it serves as the APQ store as it is", async () => {
    const apq: PersistedQueryOptions = { cache, ttl: 300 };
    await apq.cache!.set('apq:hash', '{ me { id } }', { ttl: apq.ttl });
    expect(await apq.cache!.get('apq:hash')).toBe('{ me { id } }');
  });
});

describe('the Redis cache fails open', () => {
  const errors: Error[] = [];
  const opened: KeyValueCache[] = [];
  const openOn = (url: string, timeoutMs?: number): KeyValueCache => {
    const cache = createKeyValueCache({ url, keyPrefix, onError: (error) => errors.push(error), timeoutMs });
    opened.push(cache);
    return cache;
  };

  /** Everything a request does with the cache, which must answer as if the cache were empty. */
  async function useAsARequestWould(cache: KeyValueCache): Promise<void> {
    expect(await cache.get('profile:M1')).toBeUndefined();
    await cache.set('profile:M1', 'computed', { ttl: 600 });
    // A delete that did not happen says so (a caller that must not lose it tries again).
    expect(await cache.delete('profile:M1')).toBe(false);
    expect(await cache.deleteMany(['profile:M1', 'profile:M2'])).toBe(false);
  }

  beforeEach(() => {
    errors.length = 0;
  });

  afterAll(async () => {
    await Promise.all(opened.map((cache) => cache.close()));
  });

  it('answers a miss and drops writes while Redis refuses connections, reporting each failure', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    await useAsARequestWould(openOn('redis://127.0.0.1:1'));
    expect(errors).toHaveLength(4);
    for (const error of errors) expect(error).toBeInstanceOf(CacheUnavailableError);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^cache get skipped: /),
      expect.stringMatching(/^cache set skipped: /),
      expect.stringMatching(/^cache delete skipped: /),
      expect.stringMatching(/^cache delete skipped: /),
    ]);
  });

  it('does not wait on a server that accepts the connection and never answers', async () => {
    // Reads whatever it is sent (so it sees the client hang up) and answers nothing.
    const silent: Server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await useAsARequestWould(openOn(`redis://127.0.0.1:${port}`, 50));
      expect(errors).toHaveLength(4);
    } finally {
      await Promise.all(opened.splice(0).map((cache) => cache.close()));
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  const withRedisServer = redisServerInstalled() ? it : it.skip;
  withRedisServer(
    'answers a miss while a connected Redis hangs, and uses it again once it answers',
    async () => {
      const server = new RedisServerProcess(await freePort());
      await server.start();
      try {
        const cache = openOn(server.url, 50);
        await cache.set('hang', 'before');
        expect(await cache.get('hang')).toBe('before');
        expect(errors).toEqual([]);

        server.freeze();
        await useAsARequestWould(cache);
        expect(errors.length).toBeGreaterThanOrEqual(4);
        expect(errors[0].message).toBe('cache get skipped: Command timed out');
        // After a timeout the cache does not even try for a while: the later calls were skipped outright.
        expect(errors[1].message).toMatch(/^cache set skipped: Redis timed out less than \d+ ms ago$/);

        server.resume();
        let value: string | undefined;
        for (let attempt = 0; attempt < 100 && value !== 'before'; attempt += 1) {
          await sleep(50);
          value = await cache.get('hang');
        }
        expect(value).toBe('before');
      } finally {
        await server.stop();
      }
    },
  );
});

describe('createKeyValueCache', () => {
  const onError = () => undefined;

  it('is in-process without a URL, or with an empty one', () => {
    expect(createKeyValueCache({ onError })).toBeInstanceOf(MemoryKeyValueCache);
    expect(createKeyValueCache({ url: '', onError })).toBeInstanceOf(MemoryKeyValueCache);
  });

  it('refuses a URL that is not redis:// or rediss:// without echoing it', () => {
    const create = () => createKeyValueCache({ url: 'http://user:secret@example.test', onError });
    expect(create).toThrow('Redis URL must start with redis:// or rediss://');
    expect(create).not.toThrow(/secret/);
  });
});
