import { setTimeout as sleep } from 'node:timers/promises';
import { testKeyPrefix } from '../../../test/test-key-prefix.js';
import { deleteRedisKeys } from '../../../tools/local-federation/delete-redis-keys.js';
import type { ActivityStream, ConsumerGroupReader } from './activity-stream.js';
import { ConsumerGroupMissingError } from './activity-stream.js';
import { createActivityStream } from './create-activity-stream.js';
import { MemoryActivityStream } from './memory-activity-stream.js';

/*
 * What the activity-stream port promises, asserted on the in-process stream always and on a real Redis when
 * REDIS_URL is set: the same assertions passing on both is what lets the product run on either.
 */
interface Opened {
  stream: ActivityStream;
  /** Loses the stream and its groups, as a Redis restarted without persistence does. */
  lose(): Promise<void>;
}

const redisUrl = process.env.REDIS_URL;
const runPrefix = testKeyPrefix('stream-contract');
let opened = 0;

const backends: [label: string, open: (maxLength?: number) => Opened][] = [
  [
    'in-process stream',
    (maxLength) => {
      const stream = new MemoryActivityStream(maxLength);
      return { stream, lose: async () => stream.clear() };
    },
  ],
];
if (redisUrl) {
  backends.push([
    'Redis stream',
    (maxLength) => {
      const keyPrefix = `${runPrefix}${(opened += 1)}:`;
      const stream = createActivityStream({ url: redisUrl, keyPrefix, maxLength, name: 'stream-contract' });
      return { stream, lose: async () => void (await deleteRedisKeys(redisUrl, keyPrefix)) };
    },
  ]);
}

const payloads = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ n: from + i }));
const numbers = (entries: { payload: string }[]): number[] =>
  entries.map((e) => (JSON.parse(e.payload) as { n: number }).n);

afterAll(async () => {
  if (redisUrl) await deleteRedisKeys(redisUrl, runPrefix);
});

describe.each(backends)('ActivityStream contract on the %s', (_label, open) => {
  const streams: ActivityStream[] = [];
  const readers: ConsumerGroupReader[] = [];
  let current: Opened;

  /** A fresh stream for each test. */
  const fresh = (maxLength?: number): ActivityStream => {
    current = open(maxLength);
    streams.push(current.stream);
    return current.stream;
  };
  const readerOf = (stream: ActivityStream, group: string, consumer: string): ConsumerGroupReader => {
    const reader = stream.openReader(group, consumer);
    readers.push(reader);
    return reader;
  };
  /** A reader in a group that exists. */
  const joined = async (stream: ActivityStream, group: string, consumer: string) => {
    const reader = readerOf(stream, group, consumer);
    await reader.createGroup();
    return reader;
  };

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await Promise.all(streams.map((s) => s.close()));
  });

  it('publishes a batch in order, with increasing `<ms>-<seq>` ids', async () => {
    const stream = fresh();
    expect(await stream.length()).toBe(0);
    expect(await stream.publish([])).toEqual([]);
    const ids = await stream.publish(payloads(1, 3));
    const more = await stream.publish(payloads(4, 2));
    expect([...ids, ...more]).toHaveLength(5);
    for (const id of [...ids, ...more]) expect(id).toMatch(/^\d+-\d+$/);
    const order = [...ids, ...more].map((id) => id.split('-').map(Number));
    for (let i = 1; i < order.length; i += 1) {
      const [[ms, seq], [prevMs, prevSeq]] = [order[i], order[i - 1]];
      expect(ms > prevMs || (ms === prevMs && seq > prevSeq)).toBe(true);
    }
    expect(await stream.length()).toBe(5);
  });

  it('delivers each entry once per group: consumers share a group, every group sees everything', async () => {
    const stream = fresh();
    await stream.publish(payloads(1, 2));
    const a = await joined(stream, 'points', 'a');
    const b = await joined(stream, 'points', 'b');
    const other = await joined(stream, 'cache', 'only');
    await stream.publish(payloads(3, 3));

    // A group starts at the first entry, so entries published before it was created are delivered too.
    const first = await a.readNew(2);
    expect(numbers(first)).toEqual([1, 2]);
    expect(numbers(await b.readNew(10))).toEqual([3, 4, 5]);
    expect(await a.readNew(10)).toEqual([]);
    expect(numbers(await other.readNew(10))).toEqual([1, 2, 3, 4, 5]);
    expect(first[0]).toEqual({ id: expect.any(String), payload: JSON.stringify({ n: 1 }) });
  });

  it('keeps delivered entries pending until acknowledged, and reports pending entries and lag', async () => {
    const stream = fresh();
    expect(await stream.groupStatus('points')).toBeNull();
    const a = await joined(stream, 'points', 'a');
    const b = await joined(stream, 'points', 'b');
    expect(await stream.groupStatus('points')).toEqual({
      pending: 0,
      pendingByConsumer: {},
      oldestPendingAgeMs: null,
      lag: 0,
    });
    await stream.publish(payloads(1, 5));
    const [first, second] = await a.readNew(2);
    await b.readNew(1);

    const status = await stream.groupStatus('points');
    expect(status).toEqual({
      pending: 3,
      pendingByConsumer: { a: 2, b: 1 },
      oldestPendingAgeMs: expect.any(Number),
      lag: 2,
    });
    expect(status!.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);

    await a.acknowledge([first.id]);
    await a.acknowledge([first.id]); // twice is harmless
    expect((await stream.groupStatus('points'))?.pendingByConsumer).toEqual({ a: 1, b: 1 });
    await a.acknowledge([second.id]);
    expect((await stream.groupStatus('points'))?.pending).toBe(1);
  });

  it("redelivers a consumer's own unacknowledged entries, and only its own", async () => {
    const stream = fresh();
    const a = await joined(stream, 'points', 'a');
    const b = await joined(stream, 'points', 'b');
    await stream.publish(payloads(1, 3));
    const read = await a.readNew(2);
    await b.readNew(1);

    // The same consumer after a restart: a new reader under the same name.
    const restarted = readerOf(stream, 'points', 'a');
    expect(await restarted.readPending(10)).toEqual(read);
    expect(await restarted.readPending(10)).toEqual(read); // until acknowledged
    expect(numbers(await restarted.readPending(1))).toEqual([1]);
    await restarted.acknowledge(read.map((e) => e.id));
    expect(await restarted.readPending(10)).toEqual([]);
    expect(numbers(await b.readPending(10))).toEqual([3]);
    expect(await readerOf(stream, 'points', 'never-read').readPending(10)).toEqual([]);
  });

  it('hands entries held idle long enough by a dead consumer to another one', async () => {
    const stream = fresh();
    const dead = await joined(stream, 'points', 'dead');
    const rescuer = await joined(stream, 'points', 'rescuer');
    await stream.publish(payloads(1, 3));
    const held = await dead.readNew(10);

    expect(await rescuer.claimIdle(60_000, 10)).toEqual([]);
    // Idle times are generous so that a busy machine cannot make a fresh entry look idle.
    await sleep(1_000);
    const claimed = await rescuer.claimIdle(900, 2);
    expect(claimed).toEqual(held.slice(0, 2));
    expect((await stream.groupStatus('points'))?.pendingByConsumer).toEqual({ dead: 1, rescuer: 2 });
    expect(numbers(await dead.readPending(10))).toEqual([3]);
    // A claim (or a re-read) is a new delivery: the entries are no longer idle.
    expect(await readerOf(stream, 'points', 'third').claimIdle(900, 10)).toEqual([]);

    await rescuer.acknowledge(claimed.map((e) => e.id));
    expect(await rescuer.readPending(10)).toEqual([]);
  });

  it('waits for new entries up to waitMs and wakes when one is published', async () => {
    const stream = fresh();
    const reader = await joined(stream, 'points', 'a');
    expect(await reader.readNew(10, 50)).toEqual([]);
    const waiting = reader.readNew(10, 10_000);
    await sleep(50);
    await stream.publish(payloads(7, 1));
    expect(numbers(await waiting)).toEqual([7]);
  });

  it('ends a waiting read when the reader is closed', async () => {
    const stream = fresh();
    const reader = await joined(stream, 'points', 'a');
    const waiting = reader.readNew(10, 20_000);
    await sleep(50);
    await reader.close();
    await expect(waiting).rejects.toThrow();
    await expect(reader.readNew(10)).rejects.toThrow();
  });

  it('drops pending entries trimmed from the stream instead of handing them out', async () => {
    const stream = fresh(10);
    const reader = await joined(stream, 'points', 'a');
    await stream.publish(payloads(1, 5));
    expect(await reader.readNew(5)).toHaveLength(5);
    for (let n = 6; n < 1_300; n += 100) await stream.publish(payloads(n, 100));

    expect(await stream.length()).toBeLessThan(1_000);
    expect(await reader.readPending(10)).toEqual([]);
    expect((await stream.groupStatus('points'))?.pending).toBe(0);
  });

  it('removes the entries a predicate matches, pending or not, and hands them out no more', async () => {
    const stream = fresh();
    const reader = await joined(stream, 'points', 'a');
    await stream.publish(payloads(1, 4));
    expect(numbers(await reader.readNew(4))).toEqual([1, 2, 3, 4]);
    await stream.publish(payloads(5, 4));
    const even = (payload: string) => (JSON.parse(payload) as { n: number }).n % 2 === 0;

    expect(await stream.removeEntries(even)).toBe(4);
    expect(numbers(await reader.readPending(10))).toEqual([1, 3]);
    expect(numbers(await reader.readNew(10))).toEqual([5, 7]);
    expect(await stream.removeEntries(even)).toBe(0);
  });

  it('rejects reads with ConsumerGroupMissingError once the group is lost, until it is created again', async () => {
    const stream = fresh();
    const reader = readerOf(stream, 'points', 'a');
    await expect(reader.readNew(10)).rejects.toBeInstanceOf(ConsumerGroupMissingError);
    await reader.createGroup();
    await reader.createGroup(); // it exists: nothing happens
    await stream.publish(payloads(1, 2));
    const [kept] = await reader.readNew(1);

    await current.lose();
    await expect(reader.readNew(10)).rejects.toBeInstanceOf(ConsumerGroupMissingError);
    await expect(reader.readPending(10)).rejects.toBeInstanceOf(ConsumerGroupMissingError);
    await expect(reader.claimIdle(0, 10)).rejects.toThrow(ConsumerGroupMissingError);
    await reader.acknowledge([kept.id]); // nothing to acknowledge in a lost group
    expect(await stream.groupStatus('points')).toBeNull();

    await reader.createGroup();
    await stream.publish(payloads(3, 1));
    expect(numbers(await reader.readNew(10))).toEqual([3]);
  });
});

describe('createActivityStream', () => {
  it('is in-process without a URL, or with an empty one', () => {
    expect(createActivityStream()).toBeInstanceOf(MemoryActivityStream);
    expect(createActivityStream({ url: '' })).toBeInstanceOf(MemoryActivityStream);
  });

  it('refuses a URL that is not redis:// or rediss:// without echoing it', () => {
    const create = () => createActivityStream({ url: 'http://user:secret@example.test' });
    expect(create).toThrow('Redis URL must start with redis:// or rediss://');
    expect(create).not.toThrow(/secret/);
  });

  it('rejects a publish while Redis is unreachable instead of waiting for it, and still closes', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const stream = createActivityStream({ url: 'redis://127.0.0.1:1' });
    await expect(stream.publish(payloads(1, 1))).rejects.toThrow(/max retries per request/i);
    await stream.close();
  });
});
