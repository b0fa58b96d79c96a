import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { contractRedis } from '../../../test/contract-redis.js';
import { createRateLimiter } from './create-rate-limiter.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { Clock, RateLimiter } from './rate-limiter.js';

/*
 * What the rate-limiter port promises, asserted on the in-process buckets always and on a real Redis when
 * REDIS_URL is set; then failing open when Redis refuses. Every backend runs on a clock the test moves.
 */
const { url: redisUrl, keyPrefix, strictClient } = contractRedis('rate-limit-contract');
const backends: [label: string, open: (clock: Clock) => RateLimiter][] = [
  ['in-process buckets', (clock) => new MemoryRateLimiter(clock)],
];
if (redisUrl) {
  backends.push([
    'Redis buckets',
    (clock) =>
      // Here a fallback would hide a broken script: every failure is a broken contract.
      createRateLimiter({ ...strictClient, clock }),
  ]);
}

describe.each(backends)('RateLimiter contract on %s', (_label, open) => {
  let now = 1_700_000_000_000;
  let limiter: RateLimiter;
  const limit = { burst: 3, perSecond: 1 };

  beforeAll(() => {
    limiter = open(() => now);
  });

  afterAll(async () => {
    await limiter.close();
  });

  const takeMany = async (key: string, count: number) => {
    const decisions = [];
    for (let i = 0; i < count; i += 1) decisions.push(await limiter.take(key, limit));
    return decisions;
  };

  it('lets a burst through, then refuses with the wait until the next token', async () => {
    const decisions = await takeMany('burst', 4);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3].retryAfterMs).toBe(1_000);
  });

  it('keeps one bucket per key', async () => {
    await takeMany('first', 3);
    expect((await limiter.take('first', limit)).allowed).toBe(false);
    expect((await limiter.take('second', limit)).allowed).toBe(true);
  });

  it('refills at the rate, up to the burst', async () => {
    await takeMany('refill', 3);
    now += 1_500;
    const [afterOne, refused] = await takeMany('refill', 2);
    expect(afterOne.allowed).toBe(true);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 500 });
    now += 3_600_000;
    expect((await takeMany('refill', 4)).map((d) => d.allowed)).toEqual([true, true, true, false]);
  });

  it('decides concurrent takes of one bucket one at a time', async () => {
    const decisions = await Promise.all(Array.from({ length: 10 }, () => limiter.take('concurrent', limit)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
  });

  it('accepts a fractional rate', async () => {
    const slow = { burst: 1, perSecond: 0.25 };
    await limiter.take('slow', slow);
    expect(await limiter.take('slow', slow)).toMatchObject({ allowed: false, retryAfterMs: 4_000 });
  });
});

describe('the Redis limiter fails open to the in-process buckets', () => {
  it('decides in-process while Redis refuses connections, reporting each failure', async () => {
    const errors: Error[] = [];
    const now = 1_700_000_000_000;
    // Nothing listens on port 1: every connection attempt is refused.
    const limiter = createRateLimiter({
      url: 'redis://127.0.0.1:1',
      keyPrefix,
      name: 'rate-limit-refused',
      clock: () => now,
      onError: (error) => errors.push(error),
    });
    try {
      const limit = { burst: 2, perSecond: 1 };
      const decisions = [];
      for (let i = 0; i < 3; i += 1) decisions.push(await limiter.take('down', limit));
      // Still limited: by this process's buckets.
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
      expect(errors).toHaveLength(3);
      expect(errors[0].message).toMatch(/rate-limit take skipped/);
    } finally {
      await limiter.close();
    }
  });

  it('does not wait longer than its timeout on a server that accepts the connection and never answers', async () => {
    // Reads whatever it is sent and answers nothing.
    const silent: Server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const errors: Error[] = [];
    const limiter = createRateLimiter({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix,
      name: 'rate-limit-silent',
      timeoutMs: 50,
      onError: (error) => errors.push(error),
    });
    try {
      const limit = { burst: 1, perSecond: 1 };
      const decisions = [await limiter.take('hung', limit), await limiter.take('hung', limit)];
      expect(decisions.map((d) => d.allowed)).toEqual([true, false]);
      expect(errors.length).toBe(2);
    } finally {
      await limiter.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('is in-process without a URL', () => {
    expect(createRateLimiter({ name: 'none', onError: () => undefined })).toBeInstanceOf(MemoryRateLimiter);
  });
});
