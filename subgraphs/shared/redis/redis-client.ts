/**
 * The Redis commands the project uses, with ioredis' names, argument order and raw reply shapes, so code
 * written against this interface reads like ioredis code and behaves the same on either backend:
 * a real Redis (`IoRedisClient`) or the in-process adapter (`MemoryRedisClient`).
 *
 * Keys passed to commands are relative to the client's `keyPrefix`; replies that name a key (the stream
 * name in an XREADGROUP reply, error messages) carry the full, prefixed key, exactly as ioredis returns it.
 */

/** An argument as ioredis sends it: numbers go over the wire as their decimal string. */
export type RedisArg = string | number;

/** ioredis' connection states; the in-process adapter only ever reports `ready` and `end`. */
export type RedisClientStatus =
  'wait' | 'connecting' | 'connect' | 'ready' | 'reconnecting' | 'close' | 'end';

type SetExpiry = ['EX', number] | ['PX', number];
type SetCondition = ['NX'] | ['XX'];
/** SET options, e.g. `set(key, value, 'PX', 1000, 'NX')`; Redis takes them in either order. */
export type SetOptions =
  | []
  | SetExpiry
  | SetCondition
  | [...SetExpiry, ...SetCondition]
  | [...SetCondition, ...SetExpiry]
  | ['KEEPTTL']
  | ['KEEPTTL', ...SetCondition]
  | [...SetCondition, 'KEEPTTL'];

/** EXPIRE/PEXPIRE condition (Redis 7): only when no TTL / has a TTL / new TTL greater / new TTL less. */
export type ExpireCondition = 'NX' | 'XX' | 'GT' | 'LT';

/** `[id, [field, value, field, value, ...]]` */
export type StreamEntry = [id: string, fields: string[]];
/** Re-reading a consumer's pending entries yields `[id, null]` for entries deleted from the stream since. */
export type StreamReadEntry = [id: string, fields: string[] | null];
/** XREADGROUP reply: one item per stream that had something to deliver, keyed by the full stream key. */
export type StreamReadReply = [stream: string, entries: StreamReadEntry[]][];

/** XPENDING summary: total, smallest and greatest pending id, `[consumer, count as string]` per consumer. */
export type PendingSummary = [
  count: number,
  smallestId: string | null,
  greatestId: string | null,
  consumers: [consumer: string, pending: string][] | null,
];
/** XPENDING extended form: one item per pending entry. */
export type PendingEntry = [id: string, consumer: string, idleMs: number, deliveryCount: number];
type PendingRangeBase = [start: string, end: string, count: number];
export type PendingRange =
  | PendingRangeBase
  | [...PendingRangeBase, consumer: string]
  | ['IDLE', number, ...PendingRangeBase]
  | ['IDLE', number, ...PendingRangeBase, consumer: string];

/** XAUTOCLAIM reply (Redis 7): the cursor for the next call ('0-0' when done), claimed entries, and ids
 * that were pending but no longer exist in the stream (removed from the PEL by this call). */
export type AutoClaimReply = [nextStart: string, entries: StreamEntry[], deletedIds: string[]];
export type AutoClaimJustIdReply = [nextStart: string, ids: string[], deletedIds: string[]];

export interface RedisClient {
  /** `redis` for a real server, `memory` for the in-process adapter. */
  readonly backend: 'redis' | 'memory';
  /** Prepended to every key argument (never to SCAN patterns; see `deleteByPrefix`). */
  readonly keyPrefix: string;
  readonly status: RedisClientStatus;

  // Strings and keys
  get(key: string): Promise<string | null>;
  /** 'OK', or null when an NX/XX condition stopped the write. */
  set(key: string, value: RedisArg, ...options: SetOptions): Promise<'OK' | null>;
  mget(...keys: string[]): Promise<(string | null)[]>;
  incr(key: string): Promise<number>;
  incrby(key: string, increment: RedisArg): Promise<number>;
  del(...keys: string[]): Promise<number>;
  /** Counts a key once per time it is named, as Redis does. */
  exists(...keys: string[]): Promise<number>;
  expire(key: string, seconds: RedisArg, ...condition: [] | [ExpireCondition]): Promise<number>;
  pexpire(key: string, milliseconds: RedisArg, ...condition: [] | [ExpireCondition]): Promise<number>;
  /** Seconds left, rounded to the nearest second; -1 without TTL; -2 when the key does not exist. */
  ttl(key: string): Promise<number>;
  pttl(key: string): Promise<number>;

  // Hashes
  hset(key: string, values: Record<string, RedisArg>): Promise<number>;
  hset(key: string, ...fieldsAndValues: RedisArg[]): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  hincrby(key: string, field: string, increment: RedisArg): Promise<number>;

  // Sorted sets
  /** `zadd(key, [NX|XX] [GT|LT] [CH], score, member, ...)`; scores accept '-inf'/'+inf'. */
  zadd(key: string, ...args: RedisArg[]): Promise<number>;
  /** Bounds accept '-inf', '+inf' and '(' for exclusive. */
  zremrangebyscore(key: string, min: RedisArg, max: RedisArg): Promise<number>;
  zcard(key: string): Promise<number>;
  /** By rank; with 'WITHSCORES' the reply is flat `[member, score, ...]` with scores as strings. */
  zrange(key: string, start: number, stop: number, ...withScores: [] | ['WITHSCORES']): Promise<string[]>;

  // Streams
  /** `xadd(key, [NOMKSTREAM], [MAXLEN|MINID [=|~] threshold], id|'*', field, value, ...)`; null only
   * with NOMKSTREAM on a missing key. With '~' Redis trims whole nodes only, so more entries may remain. */
  xadd(key: string, ...args: RedisArg[]): Promise<string | null>;
  xlen(key: string): Promise<number>;
  /** Bounds accept '-', '+', incomplete ids ('1700000000000') and '(' for exclusive. */
  xrange(key: string, start: string, end: string, ...count: [] | ['COUNT', number]): Promise<StreamEntry[]>;
  xrevrange(
    key: string,
    end: string,
    start: string,
    ...count: [] | ['COUNT', number]
  ): Promise<StreamEntry[]>;
  xdel(key: string, ...ids: string[]): Promise<number>;
  /** `xtrim(key, 'MAXLEN'|'MINID', ['='|'~'], threshold)`: the number of entries removed. */
  xtrim(key: string, strategy: 'MAXLEN' | 'MINID', ...args: RedisArg[]): Promise<number>;

  // Consumer groups
  /** Rejects with `BUSYGROUP ...` when the group exists. '$' starts after the current last entry. */
  xgroup(
    subcommand: 'CREATE',
    key: string,
    group: string,
    id: string,
    ...options: [] | ['MKSTREAM']
  ): Promise<'OK'>;
  xgroup(subcommand: 'SETID', key: string, group: string, id: string): Promise<'OK'>;
  /** 1 when destroyed, 0 when there was no such group. */
  xgroup(subcommand: 'DESTROY', key: string, group: string): Promise<number>;
  /** CREATECONSUMER: 1 when created; DELCONSUMER: how many pending entries the consumer had. */
  xgroup(
    subcommand: 'CREATECONSUMER' | 'DELCONSUMER',
    key: string,
    group: string,
    consumer: string,
  ): Promise<number>;
  /**
   * `xreadgroup('GROUP', group, consumer, ['COUNT', n], ['BLOCK', ms], ['NOACK'], 'STREAMS', ...keys, ...ids)`.
   * '>' delivers new entries; any other id re-reads this consumer's pending entries after it (never blocks).
   * null when nothing was delivered (after BLOCK ms when given; BLOCK 0 waits forever). While blocked,
   * the connection serves no other command, as on Redis: give blocking readers their own `duplicate()`.
   */
  xreadgroup(
    groupToken: 'GROUP',
    group: string,
    consumer: string,
    ...args: RedisArg[]
  ): Promise<StreamReadReply | null>;
  xack(key: string, group: string, ...ids: string[]): Promise<number>;
  xpending(key: string, group: string): Promise<PendingSummary>;
  xpending(key: string, group: string, ...range: PendingRange): Promise<PendingEntry[]>;
  /** `xautoclaim(key, group, consumer, minIdleMs, start, ['COUNT', n], ['JUSTID'])`; COUNT defaults to 100. */
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
  /** `xclaim(key, group, consumer, minIdleMs, ...ids, [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID])`. */
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

  // Housekeeping and lifecycle
  ping(): Promise<'PONG'>;
  /**
   * Deletes every key whose name starts with `keyPrefix + prefix` and returns how many were deleted.
   * Uses SCAN on a real server, so it is for tests and maintenance, not request paths. Refuses an empty
   * combined prefix: that would empty a shared database.
   */
  deleteByPrefix(prefix: string): Promise<number>;
  /** A new connection with the same options (and, in memory, the same data). */
  duplicate(): RedisClient;
  /** Waits for the commands already sent (including a blocked read), then closes. */
  quit(): Promise<'OK'>;
  /** Closes now; commands still waiting reject with `Connection is closed.`. */
  disconnect(): void;
  on(event: 'ready' | 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}
