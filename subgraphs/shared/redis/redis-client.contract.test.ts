import { closeRedisClient, createRedisClient } from './create-redis-client.js';
import type { RedisClient, StreamReadReply } from './redis-client.js';
import { redisErrorCode } from './reply-error.js';
import { testKeyPrefix } from './test-key-prefix.js';

/*
 * One set of assertions, run against the in-process adapter always and against a real Redis when
 * REDIS_URL is set: whatever passes on both proves the adapter behaves like Redis for the project's commands.
 */
const backends: [label: string, url: string | undefined][] = [['in-process adapter', undefined]];
if (process.env.REDIS_URL) backends.push(['real Redis', process.env.REDIS_URL]);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The Redis error code a command rejected with, or what happened instead. */
async function errorCodeOf(command: Promise<unknown>): Promise<string> {
  try {
    await command;
    return 'no error';
  } catch (error) {
    return redisErrorCode(error) ?? `not a Redis reply error: ${String(error)}`;
  }
}

const STREAM_ID = /^\d+-\d+$/;

describe.each(backends)('RedisClient contract on the %s', (_label, url) => {
  const keyPrefix = testKeyPrefix('redis-contract');
  const opened: RedisClient[] = [];
  let redis: RedisClient;

  const connect = (prefix = keyPrefix): RedisClient => {
    const client = createRedisClient({ url, keyPrefix: prefix, name: 'redis-contract-test' });
    opened.push(client);
    return client;
  };

  beforeAll(() => {
    redis = connect();
  });

  afterAll(async () => {
    const cleaner = connect();
    await cleaner.deleteByPrefix('');
    await Promise.all(opened.map((client) => closeRedisClient(client)));
  });

  describe('strings and keys', () => {
    it('gets and sets strings, storing numbers as their decimal text', async () => {
      expect(await redis.get('s:missing')).toBeNull();
      expect(await redis.set('s:name', 'value')).toBe('OK');
      expect(await redis.set('s:number', 42)).toBe('OK');
      expect(await redis.get('s:name')).toBe('value');
      expect(await redis.get('s:number')).toBe('42');
      expect(await redis.mget('s:name', 's:missing', 's:number')).toEqual(['value', null, '42']);
    });

    it('SET NX takes a lock once; SET XX only overwrites', async () => {
      expect(await redis.set('s:lock', 'owner-1', 'NX')).toBe('OK');
      expect(await redis.set('s:lock', 'owner-2', 'NX')).toBeNull();
      expect(await redis.get('s:lock')).toBe('owner-1');
      expect(await redis.set('s:absent', 'x', 'XX')).toBeNull();
      expect(await redis.exists('s:absent')).toBe(0);
      expect(await redis.set('s:lock', 'owner-3', 'XX')).toBe('OK');
      expect(await redis.get('s:lock')).toBe('owner-3');
    });

    it('a lock taken with PX and NX expires and can be taken again', async () => {
      expect(await redis.set('s:px-lock', 'a', 'PX', 60, 'NX')).toBe('OK');
      expect(await redis.set('s:px-lock', 'b', 'PX', 60, 'NX')).toBeNull();
      const pttl = await redis.pttl('s:px-lock');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(60);
      expect(await redis.ttl('s:px-lock')).toBe(0);
      await sleep(100);
      expect(await redis.get('s:px-lock')).toBeNull();
      expect(await redis.exists('s:px-lock')).toBe(0);
      expect(await redis.pttl('s:px-lock')).toBe(-2);
      expect(await redis.set('s:px-lock', 'c', 'NX', 'PX', 1000)).toBe('OK');
      expect(await redis.set('s:px-lock', 'd', 'NX', 'PX', 1000)).toBeNull();
    });

    it('EX sets a TTL in seconds; a plain SET clears it; KEEPTTL keeps it', async () => {
      await redis.set('s:ex', 'v', 'EX', 100);
      expect(await redis.ttl('s:ex')).toBe(100);
      const pttl = await redis.pttl('s:ex');
      expect(pttl).toBeGreaterThan(99_000);
      expect(pttl).toBeLessThanOrEqual(100_000);
      await redis.set('s:ex', 'kept', 'KEEPTTL');
      expect(await redis.ttl('s:ex')).toBe(100);
      await redis.set('s:ex', 'plain');
      expect(await redis.ttl('s:ex')).toBe(-1);
      expect(await redis.ttl('s:missing')).toBe(-2);
    });

    it('refuses a non-positive expiry time in SET', async () => {
      expect(await errorCodeOf(redis.set('s:bad-px', 'v', 'PX', 0))).toBe('ERR');
      expect(await redis.exists('s:bad-px')).toBe(0);
    });

    it('DEL and EXISTS count keys (EXISTS once per time a key is named)', async () => {
      await redis.set('s:d1', '1');
      await redis.set('s:d2', '2');
      expect(await redis.exists('s:d1', 's:d1', 's:d2', 's:nothing')).toBe(3);
      expect(await redis.del('s:d1', 's:d2', 's:nothing')).toBe(2);
      expect(await redis.exists('s:d1', 's:d2')).toBe(0);
    });

    it('INCR and INCRBY count from zero, keep the TTL, and refuse non-integers', async () => {
      expect(await redis.incr('s:counter')).toBe(1);
      expect(await redis.incrby('s:counter', 10)).toBe(11);
      expect(await redis.incrby('s:counter', -20)).toBe(-9);
      expect(await redis.get('s:counter')).toBe('-9');
      await redis.expire('s:counter', 100);
      await redis.incr('s:counter');
      expect(await redis.ttl('s:counter')).toBe(100);
      await redis.set('s:text', 'abc');
      expect(await errorCodeOf(redis.incr('s:text'))).toBe('ERR');
      await redis.set('s:padded', '01');
      expect(await errorCodeOf(redis.incr('s:padded'))).toBe('ERR');
      expect(await errorCodeOf(redis.incrby('s:counter', '1.5'))).toBe('ERR');
    });

    it('EXPIRE and PEXPIRE honour NX, XX, GT and LT and delete at once with a past time', async () => {
      expect(await redis.expire('s:missing', 10)).toBe(0);
      await redis.set('s:exp', 'v');
      expect(await redis.expire('s:exp', 100, 'XX')).toBe(0);
      expect(await redis.expire('s:exp', 100, 'GT')).toBe(0);
      expect(await redis.expire('s:exp', 100, 'NX')).toBe(1);
      expect(await redis.expire('s:exp', 50, 'NX')).toBe(0);
      expect(await redis.expire('s:exp', 50, 'GT')).toBe(0);
      expect(await redis.expire('s:exp', 200, 'GT')).toBe(1);
      expect(await redis.expire('s:exp', 300, 'LT')).toBe(0);
      expect(await redis.expire('s:exp', 150, 'LT')).toBe(1);
      expect(await redis.ttl('s:exp')).toBe(150);
      expect(await redis.pexpire('s:exp', 40, 'XX')).toBe(1);
      await sleep(80);
      expect(await redis.exists('s:exp')).toBe(0);
      await redis.set('s:exp-now', 'v');
      expect(await redis.expire('s:exp-now', 0)).toBe(1);
      expect(await redis.exists('s:exp-now')).toBe(0);
    });

    it('rejects commands on a key of another type with WRONGTYPE (MGET answers nil)', async () => {
      await redis.hset('s:a-hash', 'f', 'v');
      await redis.set('s:a-string', 'v');
      expect(await errorCodeOf(redis.get('s:a-hash'))).toBe('WRONGTYPE');
      expect(await errorCodeOf(redis.incr('s:a-hash'))).toBe('WRONGTYPE');
      expect(await errorCodeOf(redis.hset('s:a-string', 'f', 'v'))).toBe('WRONGTYPE');
      expect(await errorCodeOf(redis.zadd('s:a-string', 1, 'm'))).toBe('WRONGTYPE');
      expect(await errorCodeOf(redis.xadd('s:a-string', '*', 'f', 'v'))).toBe('WRONGTYPE');
      expect(await redis.mget('s:a-hash', 's:a-string')).toEqual([null, 'v']);
      expect(await redis.set('s:a-hash', 'overwritten')).toBe('OK');
      expect(await redis.get('s:a-hash')).toBe('overwritten');
    });
  });

  describe('hashes', () => {
    it('HSET counts new fields, from pairs or an object; HGET/HGETALL read them back', async () => {
      expect(await redis.hset('h:member', 'tier', 'GOLD', 'points', 120)).toBe(2);
      expect(await redis.hset('h:member', { tier: 'DIAMOND', region: 'cn' })).toBe(1);
      expect(await redis.hget('h:member', 'tier')).toBe('DIAMOND');
      expect(await redis.hget('h:member', 'missing')).toBeNull();
      expect(await redis.hget('h:none', 'tier')).toBeNull();
      expect(await redis.hgetall('h:member')).toEqual({ tier: 'DIAMOND', points: '120', region: 'cn' });
      expect(await redis.hgetall('h:none')).toEqual({});
    });

    it('HDEL counts removed fields and the hash disappears with its last field', async () => {
      await redis.hset('h:temp', 'a', '1', 'b', '2');
      expect(await redis.hdel('h:temp', 'a', 'zz')).toBe(1);
      expect(await redis.exists('h:temp')).toBe(1);
      expect(await redis.hdel('h:temp', 'b')).toBe(1);
      expect(await redis.exists('h:temp')).toBe(0);
      expect(await redis.hdel('h:temp', 'b')).toBe(0);
    });

    it('HINCRBY counts from zero and refuses non-integer fields', async () => {
      expect(await redis.hincrby('h:counts', 'views', 5)).toBe(5);
      expect(await redis.hincrby('h:counts', 'views', -2)).toBe(3);
      await redis.hset('h:counts', 'label', 'x');
      expect(await errorCodeOf(redis.hincrby('h:counts', 'label', 1))).toBe('ERR');
    });

    it('HSET with an odd number of arguments is refused', async () => {
      expect(await errorCodeOf(redis.hset('h:odd', 'a', '1', 'b'))).toBe('ERR');
      expect(await redis.exists('h:odd')).toBe(0);
    });
  });

  describe('sorted sets', () => {
    it('keeps a sliding window: add hits, drop the expired ones, count the rest', async () => {
      const key = 'z:window';
      for (const at of [1000, 2000, 3000, 4000]) expect(await redis.zadd(key, at, `hit-${at}`)).toBe(1);
      expect(await redis.zcard(key)).toBe(4);
      expect(await redis.zremrangebyscore(key, '-inf', '(2000')).toBe(1);
      expect(await redis.zcard(key)).toBe(3);
      expect(await redis.zrange(key, 0, -1)).toEqual(['hit-2000', 'hit-3000', 'hit-4000']);
      expect(await redis.zrange(key, 0, 0, 'WITHSCORES')).toEqual(['hit-2000', '2000']);
      expect(await redis.zremrangebyscore(key, 3000, '+inf')).toBe(2);
      expect(await redis.zremrangebyscore(key, '-inf', '+inf')).toBe(1);
      expect(await redis.exists(key)).toBe(0);
      expect(await redis.zcard(key)).toBe(0);
    });

    it('orders by score, then member; updates scores; honours NX, XX, GT and CH', async () => {
      const key = 'z:order';
      expect(await redis.zadd(key, 2, 'b', 1, 'a', 2, 'c')).toBe(3);
      expect(await redis.zadd(key, 5, 'a')).toBe(0);
      expect(await redis.zrange(key, 0, -1, 'WITHSCORES')).toEqual(['b', '2', 'c', '2', 'a', '5']);
      expect(await redis.zadd(key, 'NX', 9, 'a', 6, 'd')).toBe(1);
      expect(await redis.zadd(key, 'XX', 'CH', 7, 'a', 8, 'e')).toBe(1);
      expect(await redis.zadd(key, 'GT', 'CH', 1, 'a', 9, 'b')).toBe(1);
      expect(await redis.zrange(key, 0, -1, 'WITHSCORES')).toEqual(['c', '2', 'd', '6', 'a', '7', 'b', '9']);
      expect(await redis.zrange(key, -2, -1)).toEqual(['a', 'b']);
      expect(await redis.zrange(key, -100, 100)).toHaveLength(4);
      expect(await redis.zrange(key, 3, 1)).toEqual([]);
      expect(await redis.zrange('z:none', 0, -1)).toEqual([]);
      expect(await errorCodeOf(redis.zadd(key, 'abc', 'x'))).toBe('ERR');
    });
  });

  describe('streams', () => {
    it('XADD * generates increasing ids; XLEN, XRANGE and XREVRANGE read the entries', async () => {
      const key = 'x:basic';
      const first = await redis.xadd(key, '*', 'type', 'purchase', 'amountMinor', 1200);
      const second = await redis.xadd(key, '*', 'type', 'browse');
      expect(first).toMatch(STREAM_ID);
      expect(second).toMatch(STREAM_ID);
      expect(await redis.xlen(key)).toBe(2);
      expect(await redis.xrange(key, '-', '+')).toEqual([
        [first, ['type', 'purchase', 'amountMinor', '1200']],
        [second, ['type', 'browse']],
      ]);
      expect(await redis.xrange(key, '-', '+', 'COUNT', 1)).toEqual([
        [first, ['type', 'purchase', 'amountMinor', '1200']],
      ]);
      expect(await redis.xrevrange(key, '+', '-', 'COUNT', 1)).toEqual([[second, ['type', 'browse']]]);
      expect(await redis.xlen('x:none')).toBe(0);
      expect(await redis.xrange('x:none', '-', '+')).toEqual([]);
    });

    it('accepts explicit, partial and exclusive ids and refuses ids that do not grow', async () => {
      const key = 'x:ids';
      expect(await redis.xadd(key, '5-*', 'n', 1)).toBe('5-0');
      expect(await redis.xadd(key, '5-*', 'n', 2)).toBe('5-1');
      expect(await errorCodeOf(redis.xadd(key, '5', 'n', 3))).toBe('ERR');
      expect(await redis.xadd(key, '7', 'n', 4)).toBe('7-0');
      expect(await redis.xadd(key, '7-5', 'n', 5)).toBe('7-5');
      expect(await errorCodeOf(redis.xadd('x:zero', '0-0', 'n', 1))).toBe('ERR');
      const ids = async (start: string, end: string): Promise<string[]> =>
        (await redis.xrange(key, start, end)).map(([id]) => id);
      expect(await ids('(5-0', '+')).toEqual(['5-1', '7-0', '7-5']);
      expect(await ids('5', '5')).toEqual(['5-0', '5-1']);
      expect(await ids('-', '(7-5')).toEqual(['5-0', '5-1', '7-0']);
      expect(await ids('7-5', '7-1')).toEqual([]);
      expect(await redis.xadd(key, '*', 'n', 6)).toMatch(STREAM_ID);
    });

    it('XADD NOMKSTREAM does not create a stream; an odd field list is refused', async () => {
      expect(await redis.xadd('x:nomk', 'NOMKSTREAM', '*', 'f', 'v')).toBeNull();
      expect(await redis.exists('x:nomk')).toBe(0);
      expect(await errorCodeOf(redis.xadd('x:odd', '*', 'f'))).toBe('ERR');
    });

    it('MAXLEN = trims exactly; MAXLEN ~ keeps at least the threshold; XTRIM and XDEL report removals', async () => {
      const exact = 'x:maxlen-exact';
      for (let i = 0; i < 20; i += 1) await redis.xadd(exact, 'MAXLEN', '=', 5, '*', 'i', i);
      expect(await redis.xlen(exact)).toBe(5);
      expect((await redis.xrange(exact, '-', '+', 'COUNT', 1))[0][1]).toEqual(['i', '15']);

      const approximate = 'x:maxlen-approx';
      for (let i = 0; i < 150; i += 1) await redis.xadd(approximate, 'MAXLEN', '~', 10, '*', 'i', i);
      const length = await redis.xlen(approximate);
      expect(length).toBeGreaterThanOrEqual(10);
      expect(length).toBeLessThan(150);

      expect(await redis.xtrim(approximate, 'MAXLEN', 3)).toBe(length - 3);
      expect(await redis.xlen(approximate)).toBe(3);
      const [[oldest]] = await redis.xrange(approximate, '-', '+', 'COUNT', 1);
      expect(await redis.xdel(approximate, oldest, '1-1')).toBe(1);
      expect(await redis.xlen(approximate)).toBe(2);
      expect(await redis.xtrim('x:none', 'MAXLEN', 0)).toBe(0);
    });
  });

  describe('consumer groups', () => {
    it('XGROUP CREATE MKSTREAM creates the stream; a second CREATE fails with BUSYGROUP', async () => {
      expect(await redis.xgroup('CREATE', 'g:create', 'points', '$', 'MKSTREAM')).toBe('OK');
      expect(await redis.exists('g:create')).toBe(1);
      expect(await redis.xlen('g:create')).toBe(0);
      expect(await errorCodeOf(redis.xgroup('CREATE', 'g:create', 'points', '$', 'MKSTREAM'))).toBe(
        'BUSYGROUP',
      );
      expect(await errorCodeOf(redis.xgroup('CREATE', 'g:no-stream', 'points', '$'))).toBe('ERR');
      expect(await errorCodeOf(redis.xreadgroup('GROUP', 'nope', 'c', 'STREAMS', 'g:create', '>'))).toBe(
        'NOGROUP',
      );
      expect(await errorCodeOf(redis.xpending('g:create', 'nope'))).toBe('NOGROUP');
      expect(await redis.xack('g:create', 'nope', '1-0')).toBe(0);
    });

    it('delivers each entry to one consumer, tracks it as pending until XACK', async () => {
      const key = 'g:deliver';
      await redis.xgroup('CREATE', key, 'points', '$', 'MKSTREAM');
      const ids = [
        await redis.xadd(key, '*', 'n', 1),
        await redis.xadd(key, '*', 'n', 2),
        await redis.xadd(key, '*', 'n', 3),
      ] as string[];

      const first = await redis.xreadgroup('GROUP', 'points', 'c1', 'COUNT', 2, 'STREAMS', key, '>');
      expect(first).toEqual([
        [
          keyPrefix + key,
          [
            [ids[0], ['n', '1']],
            [ids[1], ['n', '2']],
          ],
        ],
      ]);
      const second = await redis.xreadgroup('GROUP', 'points', 'c2', 'COUNT', 10, 'STREAMS', key, '>');
      expect(second).toEqual([[keyPrefix + key, [[ids[2], ['n', '3']]]]]);
      expect(await redis.xreadgroup('GROUP', 'points', 'c1', 'COUNT', 10, 'STREAMS', key, '>')).toBeNull();

      expect(await redis.xpending(key, 'points')).toEqual([
        3,
        ids[0],
        ids[2],
        [
          ['c1', '2'],
          ['c2', '1'],
        ],
      ]);
      const detailed = await redis.xpending(key, 'points', '-', '+', 10, 'c1');
      expect(detailed.map(([id, consumer, , deliveries]) => [id, consumer, deliveries])).toEqual([
        [ids[0], 'c1', 1],
        [ids[1], 'c1', 1],
      ]);
      expect(detailed.every(([, , idle]) => idle >= 0 && idle < 5000)).toBe(true);
      expect(await redis.xpending(key, 'points', 'IDLE', 60_000, '-', '+', 10)).toEqual([]);
      expect(await redis.xpending(key, 'points', '-', '+', 1)).toHaveLength(1);

      expect(await redis.xack(key, 'points', ids[0], ids[2])).toBe(2);
      expect(await redis.xack(key, 'points', ids[0])).toBe(0);
      expect(await redis.xpending(key, 'points')).toEqual([1, ids[1], ids[1], [['c1', '1']]]);
      expect(await redis.xack(key, 'points', ids[1])).toBe(1);
      expect(await redis.xpending(key, 'points')).toEqual([0, null, null, null]);
      expect(await redis.xpending(key, 'points', '-', '+', 10)).toEqual([]);
    });

    it("re-reads a consumer's own pending entries with id 0, counting a delivery each time", async () => {
      const key = 'g:reread';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const kept = (await redis.xadd(key, '*', 'n', 1)) as string;
      const deleted = (await redis.xadd(key, '*', 'n', 2)) as string;
      await redis.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', key, '>');
      await redis.xdel(key, deleted);

      const reread = await redis.xreadgroup(
        'GROUP',
        'g',
        'c1',
        'COUNT',
        10,
        'BLOCK',
        1000,
        'STREAMS',
        key,
        '0',
      );
      expect(reread).toEqual([
        [
          keyPrefix + key,
          [
            [kept, ['n', '1']],
            [deleted, null],
          ],
        ],
      ]);
      const counts = (await redis.xpending(key, 'g', '-', '+', 10)).map(([id, , , deliveries]) => [
        id,
        deliveries,
      ]);
      expect(counts).toEqual([
        [kept, 2],
        [deleted, 1],
      ]);
      expect(await redis.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', key, kept)).toEqual([
        [keyPrefix + key, [[deleted, null]]],
      ]);
      expect(await redis.xreadgroup('GROUP', 'g', 'other', 'STREAMS', key, '0')).toEqual([
        [keyPrefix + key, []],
      ]);
    });

    it('NOACK delivers without tracking the entry as pending', async () => {
      const key = 'g:noack';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const id = await redis.xadd(key, '*', 'n', 1);
      const reply = await redis.xreadgroup('GROUP', 'g', 'c', 'NOACK', 'STREAMS', key, '>');
      expect(reply?.[0][1]).toEqual([[id, ['n', '1']]]);
      expect(await redis.xpending(key, 'g')).toEqual([0, null, null, null]);
    });

    it('XAUTOCLAIM hands entries idle long enough to another consumer and reports deleted ones', async () => {
      const key = 'g:autoclaim';
      await redis.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
      const ids: string[] = [];
      for (let i = 1; i <= 4; i += 1) ids.push((await redis.xadd(key, '*', 'n', i)) as string);
      await redis.xreadgroup('GROUP', 'g', 'crashed', 'STREAMS', key, '>');

      expect(await redis.xautoclaim(key, 'g', 'rescuer', 60_000, '0-0')).toEqual(['0-0', [], []]);
      await sleep(60);
      await redis.xdel(key, ids[1]);

      const page = await redis.xautoclaim(key, 'g', 'rescuer', 50, '0-0', 'COUNT', 2);
      expect(page).toEqual([ids[2], [[ids[0], ['n', '1']]], [ids[1]]]);
      const rest = await redis.xautoclaim(key, 'g', 'rescuer', 50, page[0], 'COUNT', 10);
      expect(rest).toEqual([
        '0-0',
        [
          [ids[2], ['n', '3']],
          [ids[3], ['n', '4']],
        ],
        [],
      ]);

      const pending = await redis.xpending(key, 'g', '-', '+', 10);
      expect(pending.map(([id, consumer, , deliveries]) => [id, consumer, deliveries])).toEqual([
        [ids[0], 'rescuer', 2],
        [ids[2], 'rescuer', 2],
        [ids[3], 'rescuer', 2],
      ]);
      expect(pending.every(([, , idle]) => idle < 50)).toBe(true);
      expect(await redis.xautoclaim(key, 'g', 'other', 50, '0-0')).toEqual(['0-0', [], []]);

      const justIds = await redis.xautoclaim(key, 'g', 'other', 0, '0-0', 'COUNT', 1, 'JUSTID');
      expect(justIds).toEqual([ids[2], [ids[0]], []]);
      expect((await redis.xpending(key, 'g', '-', '+', 1))[0]).toEqual([
        ids[0],
        'other',
        expect.any(Number),
        2,
      ]);
      expect(await errorCodeOf(redis.xautoclaim(key, 'nope', 'c', 0, '0-0'))).toBe('NOGROUP');
    });

    it('XCLAIM claims named entries past the minimum idle time', async () => {
      const key = 'g:claim';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const a = (await redis.xadd(key, '*', 'n', 1)) as string;
      const b = (await redis.xadd(key, '*', 'n', 2)) as string;
      await redis.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', key, '>');
      expect(await redis.xclaim(key, 'g', 'c2', 60_000, a, b)).toEqual([]);
      expect(await redis.xclaim(key, 'g', 'c2', 0, a)).toEqual([[a, ['n', '1']]]);
      expect(await redis.xclaim(key, 'g', 'c3', 0, a, b, 'JUSTID')).toEqual([a, b]);
      const pending = await redis.xpending(key, 'g', '-', '+', 10);
      expect(pending.map(([id, consumer, , deliveries]) => [id, consumer, deliveries])).toEqual([
        [a, 'c3', 2],
        [b, 'c3', 1],
      ]);
    });

    it('XGROUP SETID, CREATECONSUMER, DELCONSUMER and DESTROY', async () => {
      const key = 'g:admin';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const first = await redis.xadd(key, '*', 'n', 1);
      expect(await redis.xgroup('CREATECONSUMER', key, 'g', 'c1')).toBe(1);
      expect(await redis.xgroup('CREATECONSUMER', key, 'g', 'c1')).toBe(0);
      expect(await redis.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', key, '>')).toEqual([
        [keyPrefix + key, [[first, ['n', '1']]]],
      ]);
      expect(await redis.xgroup('SETID', key, 'g', '0')).toBe('OK');
      const again = await redis.xreadgroup('GROUP', 'g', 'c2', 'STREAMS', key, '>');
      expect(again?.[0][1].map(([id]) => id)).toEqual([first]);
      expect(await redis.xgroup('DELCONSUMER', key, 'g', 'c2')).toBe(1);
      expect(await redis.xpending(key, 'g')).toEqual([0, null, null, null]);
      expect(await errorCodeOf(redis.xgroup('SETID', key, 'nope', '0'))).toBe('NOGROUP');
      expect(await redis.xgroup('DESTROY', key, 'g')).toBe(1);
      expect(await redis.xgroup('DESTROY', key, 'g')).toBe(0);
    });
  });

  describe('blocking reads', () => {
    it('BLOCK waits for the timeout and answers null when nothing arrives', async () => {
      const key = 'b:timeout';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const reader = redis.duplicate();
      opened.push(reader);
      const started = Date.now();
      expect(await reader.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 150, 'STREAMS', key, '>')).toBeNull();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(2000);
    });

    it('BLOCK wakes up as soon as another connection adds an entry', async () => {
      const key = 'b:wake';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const reader = redis.duplicate();
      opened.push(reader);
      await reader.ping();
      const started = Date.now();
      const read = reader.xreadgroup('GROUP', 'g', 'c', 'COUNT', 10, 'BLOCK', 10_000, 'STREAMS', key, '>');
      await sleep(50);
      const id = await redis.xadd(key, '*', 'type', 'purchase');
      const reply: StreamReadReply | null = await read;
      expect(reply).toEqual([[keyPrefix + key, [[id, ['type', 'purchase']]]]]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await redis.xpending(key, 'g')).toEqual([1, id, id, [['c', '1']]]);
    });

    it('a blocked connection serves nothing else until the read returns', async () => {
      const key = 'b:busy';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      await redis.set('b:value', 'v');
      const reader = redis.duplicate();
      opened.push(reader);
      await reader.ping();
      const started = Date.now();
      const blocked = reader.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 200, 'STREAMS', key, '>');
      const queued = reader.get('b:value').then((value) => ({ value, after: Date.now() - started }));
      expect(await redis.ping()).toBe('PONG');
      expect(Date.now() - started).toBeLessThan(150);
      expect(await blocked).toBeNull();
      const { value, after } = await queued;
      expect(value).toBe('v');
      expect(after).toBeGreaterThanOrEqual(190);
    });

    it('disconnect() ends a BLOCK 0 read with "Connection is closed."', async () => {
      const key = 'b:forever';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const reader = redis.duplicate();
      opened.push(reader);
      await reader.ping();
      const read = reader.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', key, '>');
      await sleep(30);
      reader.disconnect();
      await expect(read).rejects.toThrow('Connection is closed.');
      await expect(reader.get('b:anything')).rejects.toThrow('Connection is closed.');
    });
  });

  describe('housekeeping and lifecycle', () => {
    it('deleteByPrefix deletes only keys under the prefix, taking glob characters literally', async () => {
      await redis.set('clean:a', '1');
      await redis.hset('clean:b', 'f', 'v');
      await redis.xadd('clean:c', '*', 'f', 'v');
      await redis.set('cleanX', 'kept');
      await redis.set('odd*[1]:k', 'v');
      await redis.set('oddZ[1]:k', 'kept');
      expect(await redis.deleteByPrefix('clean:')).toBe(3);
      expect(await redis.exists('clean:a', 'clean:b', 'clean:c')).toBe(0);
      expect(await redis.get('cleanX')).toBe('kept');
      expect(await redis.deleteByPrefix('odd*')).toBe(1);
      expect(await redis.get('oddZ[1]:k')).toBe('kept');
    });

    it('deleteByPrefix refuses to run without any prefix', async () => {
      const unprefixed = connect('');
      await expect(unprefixed.deleteByPrefix('')).rejects.toThrow('non-empty prefix');
    });

    it('duplicate() shares the data and the key prefix', async () => {
      const other = redis.duplicate();
      opened.push(other);
      await redis.set('life:shared', 'yes');
      expect(await other.get('life:shared')).toBe('yes');
      expect(other.keyPrefix).toBe(keyPrefix);
    });

    it('closeRedisClient falls back to disconnect when QUIT waits behind a BLOCK 0 read', async () => {
      const key = 'life:blocked';
      await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
      const reader = connect();
      await reader.ping();
      const read = reader.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', key, '>');
      const started = Date.now();
      await closeRedisClient(reader, 100);
      expect(Date.now() - started).toBeLessThan(1000);
      await expect(read).rejects.toThrow('Connection is closed.');
    });

    it('PING answers PONG; after QUIT the client is closed', async () => {
      const client = connect();
      expect(await client.ping()).toBe('PONG');
      expect(client.status).toBe('ready');
      expect(await client.quit()).toBe('OK');
      await expect(client.get('life:x')).rejects.toThrow('Connection is closed.');
      expect(client.status).toBe('end');
    });
  });
});
