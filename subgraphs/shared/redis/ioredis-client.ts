import type { Redis } from 'ioredis';
import type {
  AutoClaimJustIdReply,
  AutoClaimReply,
  ExpireCondition,
  PendingEntry,
  PendingRange,
  PendingSummary,
  RedisArg,
  RedisClient,
  RedisClientStatus,
  SetOptions,
  StreamEntry,
  StreamReadReply,
} from './redis-client.js';

/** SCAN MATCH is a glob: a prefix containing *, ?, [ or \ must match those characters literally. */
const escapeGlob = (value: string): string => value.replace(/[*?[\]\\]/g, '\\$&');

const SCAN_BATCH = 500;

/**
 * `RedisClient` over an ioredis connection. Every command goes through `call`, which applies ioredis'
 * keyPrefix and reply transformers exactly as the named methods do, so replies are ioredis' own.
 */
export class IoRedisClient implements RedisClient {
  readonly backend = 'redis';
  /** ioredis leaves a connection closed while Redis was down in 'reconnecting', though it stops for good. */
  private closed = false;

  constructor(
    private readonly redis: Redis,
    readonly keyPrefix: string,
  ) {
    // Every failed command already rejects its own promise, which is where callers can retry; the
    // connection-level 'error' events of a reconnect loop would otherwise go to stderr as "Unhandled".
    redis.on('error', () => undefined);
  }

  get status(): RedisClientStatus {
    return this.closed ? 'end' : this.redis.status;
  }

  get(key: string): Promise<string | null> {
    return this.send('get', [key]);
  }

  set(key: string, value: RedisArg, ...options: SetOptions): Promise<'OK' | null> {
    return this.send('set', [key, value, ...options]);
  }

  mget(...keys: string[]): Promise<(string | null)[]> {
    return this.send('mget', keys);
  }

  incr(key: string): Promise<number> {
    return this.send('incr', [key]);
  }

  incrby(key: string, increment: RedisArg): Promise<number> {
    return this.send('incrby', [key, increment]);
  }

  del(...keys: string[]): Promise<number> {
    return this.send('del', keys);
  }

  exists(...keys: string[]): Promise<number> {
    return this.send('exists', keys);
  }

  expire(key: string, seconds: RedisArg, ...condition: [] | [ExpireCondition]): Promise<number> {
    return this.send('expire', [key, seconds, ...condition]);
  }

  pexpire(key: string, milliseconds: RedisArg, ...condition: [] | [ExpireCondition]): Promise<number> {
    return this.send('pexpire', [key, milliseconds, ...condition]);
  }

  ttl(key: string): Promise<number> {
    return this.send('ttl', [key]);
  }

  pttl(key: string): Promise<number> {
    return this.send('pttl', [key]);
  }

  hset(key: string, values: Record<string, RedisArg>): Promise<number>;
  hset(key: string, ...fieldsAndValues: RedisArg[]): Promise<number>;
  hset(key: string, ...args: (RedisArg | Record<string, RedisArg>)[]): Promise<number> {
    const [first] = args;
    const flat = args.length === 1 && typeof first === 'object' ? Object.entries(first).flat() : args;
    return this.send('hset', [key, ...(flat as RedisArg[])]);
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.send('hget', [key, field]);
  }

  hgetall(key: string): Promise<Record<string, string>> {
    return this.send('hgetall', [key]);
  }

  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.send('hdel', [key, ...fields]);
  }

  hincrby(key: string, field: string, increment: RedisArg): Promise<number> {
    return this.send('hincrby', [key, field, increment]);
  }

  zadd(key: string, ...args: RedisArg[]): Promise<number> {
    return this.send('zadd', [key, ...args]);
  }

  zremrangebyscore(key: string, min: RedisArg, max: RedisArg): Promise<number> {
    return this.send('zremrangebyscore', [key, min, max]);
  }

  zcard(key: string): Promise<number> {
    return this.send('zcard', [key]);
  }

  zrange(key: string, start: number, stop: number, ...withScores: [] | ['WITHSCORES']): Promise<string[]> {
    return this.send('zrange', [key, start, stop, ...withScores]);
  }

  xadd(key: string, ...args: RedisArg[]): Promise<string | null> {
    return this.send('xadd', [key, ...args]);
  }

  xlen(key: string): Promise<number> {
    return this.send('xlen', [key]);
  }

  xrange(key: string, start: string, end: string, ...count: [] | ['COUNT', number]): Promise<StreamEntry[]> {
    return this.send('xrange', [key, start, end, ...count]);
  }

  xrevrange(
    key: string,
    end: string,
    start: string,
    ...count: [] | ['COUNT', number]
  ): Promise<StreamEntry[]> {
    return this.send('xrevrange', [key, end, start, ...count]);
  }

  xdel(key: string, ...ids: string[]): Promise<number> {
    return this.send('xdel', [key, ...ids]);
  }

  xtrim(key: string, strategy: 'MAXLEN' | 'MINID', ...args: RedisArg[]): Promise<number> {
    return this.send('xtrim', [key, strategy, ...args]);
  }

  xgroup(
    subcommand: 'CREATE',
    key: string,
    group: string,
    id: string,
    ...options: [] | ['MKSTREAM']
  ): Promise<'OK'>;
  xgroup(subcommand: 'SETID', key: string, group: string, id: string): Promise<'OK'>;
  xgroup(subcommand: 'DESTROY', key: string, group: string): Promise<number>;
  xgroup(
    subcommand: 'CREATECONSUMER' | 'DELCONSUMER',
    key: string,
    group: string,
    consumer: string,
  ): Promise<number>;
  xgroup(subcommand: string, key: string, ...args: string[]): Promise<'OK' | number> {
    return this.send('xgroup', [subcommand, key, ...args]);
  }

  xreadgroup(
    groupToken: 'GROUP',
    group: string,
    consumer: string,
    ...args: RedisArg[]
  ): Promise<StreamReadReply | null> {
    return this.send('xreadgroup', [groupToken, group, consumer, ...args]);
  }

  xack(key: string, group: string, ...ids: string[]): Promise<number> {
    return this.send('xack', [key, group, ...ids]);
  }

  xpending(key: string, group: string): Promise<PendingSummary>;
  xpending(key: string, group: string, ...range: PendingRange): Promise<PendingEntry[]>;
  xpending(key: string, group: string, ...range: RedisArg[]): Promise<PendingSummary | PendingEntry[]> {
    return this.send('xpending', [key, group, ...range]);
  }

  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    ...options: [...([] | ['COUNT', number]), 'JUSTID']
  ): Promise<AutoClaimJustIdReply>;
  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    ...options: [] | ['COUNT', number]
  ): Promise<AutoClaimReply>;
  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    ...options: RedisArg[]
  ): Promise<AutoClaimReply | AutoClaimJustIdReply> {
    return this.send('xautoclaim', [key, group, consumer, minIdleTime, start, ...options]);
  }

  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    ...args: [...RedisArg[], 'JUSTID']
  ): Promise<string[]>;
  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    ...args: RedisArg[]
  ): Promise<StreamEntry[]>;
  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    ...args: RedisArg[]
  ): Promise<StreamEntry[] | string[]> {
    return this.send('xclaim', [key, group, consumer, minIdleTime, ...args]);
  }

  ping(): Promise<'PONG'> {
    return this.send('ping', []);
  }

  /** ioredis prefixes key arguments but not SCAN patterns, and SCAN returns full key names. */
  async deleteByPrefix(prefix: string): Promise<number> {
    const fullPrefix = this.keyPrefix + prefix;
    if (fullPrefix === '') {
      throw new Error('deleteByPrefix needs a non-empty prefix: it would delete every key');
    }
    const pattern = `${escapeGlob(fullPrefix)}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, found] = await this.send<[string, string[]]>('scan', [
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        SCAN_BATCH,
      ]);
      cursor = next;
      if (found.length > 0) {
        const relative = found.map((key) => key.slice(this.keyPrefix.length));
        deleted += await this.send<number>('del', relative);
      }
    } while (cursor !== '0');
    return deleted;
  }

  duplicate(): RedisClient {
    return new IoRedisClient(this.redis.duplicate(), this.keyPrefix);
  }

  async quit(): Promise<'OK'> {
    await this.redis.quit();
    this.closed = true;
    return 'OK';
  }

  disconnect(): void {
    this.closed = true;
    this.redis.disconnect();
  }

  on(event: 'ready' | 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'ready' | 'end' | 'error', listener: (error: Error) => void): this {
    this.redis.on(event, listener);
    return this;
  }

  private send<T>(command: string, args: RedisArg[]): Promise<T> {
    return this.redis.call(command, ...args) as Promise<T>;
  }
}
