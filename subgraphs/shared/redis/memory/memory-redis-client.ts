import { EventEmitter } from 'node:events';
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
} from '../redis-client.js';
import { syntaxError, wrongArgumentCountError } from '../reply-error.js';
import { isToken } from './arguments.js';
import { xgroup } from './consumer-group-admin.js';
import * as reads from './group-reads.js';
import type { GroupReadRequest } from './group-reads.js';
import * as hashes from './hash-commands.js';
import * as keys from './key-commands.js';
import * as claims from './pending-claims.js';
import { sharedMemoryKeyspace } from './keyspace.js';
import type { MemoryKeyspace } from './keyspace.js';
import * as sortedSets from './sorted-set-commands.js';
import * as streams from './stream-commands.js';
import * as strings from './string-commands.js';

export interface MemoryRedisClientOptions {
  keyPrefix?: string;
  /** Defaults to the process-wide keyspace, so every in-process client sees the same data. */
  keyspace?: MemoryKeyspace;
}

/** The message ioredis rejects with once a connection is closed. */
const connectionClosedError = (): Error => new Error('Connection is closed.');

const text = (args: RedisArg[]): string[] => args.map(String);

/**
 * One "connection" to the in-process keyspace. Commands run one after another in the order they were
 * issued, like commands pipelined on one Redis connection, so a blocked XREADGROUP holds back the commands
 * queued behind it exactly as it does on Redis; blocking waits on a timer and on XADD notifications, never
 * on the event loop.
 */
export class MemoryRedisClient implements RedisClient {
  readonly backend = 'memory';
  readonly keyPrefix: string;
  private readonly keyspace: MemoryKeyspace;
  private readonly events = new EventEmitter();
  private state: 'ready' | 'end' = 'ready';
  private queue: Promise<unknown> = Promise.resolve();
  private abortBlockedRead: ((error: Error) => void) | undefined;

  constructor(options: MemoryRedisClientOptions = {}) {
    this.keyPrefix = options.keyPrefix ?? '';
    this.keyspace = options.keyspace ?? sharedMemoryKeyspace();
    // Emitted on the next tick so listeners attached right after construction hear it, as with ioredis.
    process.nextTick(() => {
      if (this.state === 'ready') this.events.emit('ready');
    });
  }

  get status(): RedisClientStatus {
    return this.state;
  }

  get(key: string): Promise<string | null> {
    return this.run(() => strings.get(this.keyspace, this.key(key)));
  }

  set(key: string, value: RedisArg, ...options: SetOptions): Promise<'OK' | null> {
    return this.run(() => strings.set(this.keyspace, this.key(key), String(value), text(options)));
  }

  mget(...keyNames: string[]): Promise<(string | null)[]> {
    return this.run(() => strings.mget(this.keyspace, this.keys('mget', keyNames)));
  }

  incr(key: string): Promise<number> {
    return this.run(() => strings.incrby(this.keyspace, this.key(key), '1'));
  }

  incrby(key: string, increment: RedisArg): Promise<number> {
    return this.run(() => strings.incrby(this.keyspace, this.key(key), String(increment)));
  }

  del(...keyNames: string[]): Promise<number> {
    return this.run(() => keys.del(this.keyspace, this.keys('del', keyNames)));
  }

  exists(...keyNames: string[]): Promise<number> {
    return this.run(() => keys.exists(this.keyspace, this.keys('exists', keyNames)));
  }

  expire(key: string, seconds: RedisArg, ...condition: [] | [ExpireCondition]): Promise<number> {
    return this.run(() => keys.expire(this.keyspace, this.key(key), String(seconds), 1000, condition));
  }

  pexpire(key: string, milliseconds: RedisArg, ...condition: [] | [ExpireCondition]): Promise<number> {
    return this.run(() => keys.expire(this.keyspace, this.key(key), String(milliseconds), 1, condition));
  }

  ttl(key: string): Promise<number> {
    return this.run(() => keys.ttl(this.keyspace, this.key(key), 's'));
  }

  pttl(key: string): Promise<number> {
    return this.run(() => keys.ttl(this.keyspace, this.key(key), 'ms'));
  }

  hset(key: string, values: Record<string, RedisArg>): Promise<number>;
  hset(key: string, ...fieldsAndValues: RedisArg[]): Promise<number>;
  hset(key: string, ...args: (RedisArg | Record<string, RedisArg>)[]): Promise<number> {
    const [first] = args;
    const flat = args.length === 1 && typeof first === 'object' ? Object.entries(first).flat() : args;
    return this.run(() => hashes.hset(this.keyspace, this.key(key), flat.map(String)));
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.run(() => hashes.hget(this.keyspace, this.key(key), field));
  }

  hgetall(key: string): Promise<Record<string, string>> {
    return this.run(() => hashes.hgetall(this.keyspace, this.key(key)));
  }

  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.run(() => hashes.hdel(this.keyspace, this.key(key), fields));
  }

  hincrby(key: string, field: string, increment: RedisArg): Promise<number> {
    return this.run(() => hashes.hincrby(this.keyspace, this.key(key), field, String(increment)));
  }

  zadd(key: string, ...args: RedisArg[]): Promise<number> {
    return this.run(() => sortedSets.zadd(this.keyspace, this.key(key), text(args)));
  }

  zremrangebyscore(key: string, min: RedisArg, max: RedisArg): Promise<number> {
    return this.run(() =>
      sortedSets.zremrangebyscore(this.keyspace, this.key(key), String(min), String(max)),
    );
  }

  zcard(key: string): Promise<number> {
    return this.run(() => sortedSets.zcard(this.keyspace, this.key(key)));
  }

  zrange(key: string, start: number, stop: number, ...withScores: [] | ['WITHSCORES']): Promise<string[]> {
    return this.run(() =>
      sortedSets.zrange(this.keyspace, this.key(key), String(start), String(stop), withScores),
    );
  }

  xadd(key: string, ...args: RedisArg[]): Promise<string | null> {
    return this.run(() => streams.xadd(this.keyspace, this.key(key), text(args)));
  }

  xlen(key: string): Promise<number> {
    return this.run(() => streams.xlen(this.keyspace, this.key(key)));
  }

  xrange(key: string, start: string, end: string, ...count: [] | ['COUNT', number]): Promise<StreamEntry[]> {
    return this.run(() => streams.xrange(this.keyspace, this.key(key), start, end, text(count), false));
  }

  xrevrange(
    key: string,
    end: string,
    start: string,
    ...count: [] | ['COUNT', number]
  ): Promise<StreamEntry[]> {
    return this.run(() => streams.xrange(this.keyspace, this.key(key), end, start, text(count), true));
  }

  xdel(key: string, ...ids: string[]): Promise<number> {
    return this.run(() => streams.xdel(this.keyspace, this.key(key), ids));
  }

  xtrim(key: string, strategy: 'MAXLEN' | 'MINID', ...args: RedisArg[]): Promise<number> {
    return this.run(() => streams.xtrim(this.keyspace, this.key(key), [strategy, ...text(args)]));
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
    return this.run(() => xgroup(this.keyspace, subcommand, this.key(key), args));
  }

  xreadgroup(
    groupToken: 'GROUP',
    group: string,
    consumer: string,
    ...args: RedisArg[]
  ): Promise<StreamReadReply | null> {
    return this.run(() => {
      if (!isToken(groupToken, 'GROUP')) throw syntaxError();
      const request = reads.parseGroupRead([group, consumer, ...text(args)]);
      request.streams = request.streams.map(({ key, id }) => ({ key: this.key(key), id }));
      const reply = reads.readGroup(this.keyspace, request);
      return reply !== null || request.blockMs === undefined ? reply : this.blockUntilDelivered(request);
    });
  }

  xack(key: string, group: string, ...ids: string[]): Promise<number> {
    return this.run(() => reads.xack(this.keyspace, this.key(key), group, ids));
  }

  xpending(key: string, group: string): Promise<PendingSummary>;
  xpending(key: string, group: string, ...range: PendingRange): Promise<PendingEntry[]>;
  xpending(key: string, group: string, ...range: RedisArg[]): Promise<PendingSummary | PendingEntry[]> {
    return this.run(() => claims.xpending(this.keyspace, this.key(key), group, text(range)));
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
    return this.run(() =>
      claims.xautoclaim(
        this.keyspace,
        this.key(key),
        group,
        consumer,
        String(minIdleTime),
        start,
        text(options),
      ),
    );
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
    return this.run(() =>
      claims.xclaim(this.keyspace, this.key(key), group, consumer, String(minIdleTime), text(args)),
    );
  }

  ping(): Promise<'PONG'> {
    return this.run(() => 'PONG' as const);
  }

  deleteByPrefix(prefix: string): Promise<number> {
    return this.run(() => {
      const fullPrefix = this.keyPrefix + prefix;
      if (fullPrefix === '') {
        throw new Error('deleteByPrefix needs a non-empty prefix: it would delete every key');
      }
      const doomed = this.keyspace.liveKeys().filter((key) => key.startsWith(fullPrefix));
      return doomed.filter((key) => this.keyspace.delete(key)).length;
    });
  }

  duplicate(): RedisClient {
    return new MemoryRedisClient({ keyPrefix: this.keyPrefix, keyspace: this.keyspace });
  }

  quit(): Promise<'OK'> {
    return this.run(() => {
      this.close();
      return 'OK' as const;
    });
  }

  disconnect(): void {
    if (this.state === 'end') return;
    this.close();
    this.abortBlockedRead?.(connectionClosedError());
  }

  on(event: 'ready' | 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'ready' | 'end' | 'error', listener: (error: Error) => void): this {
    this.events.on(event, listener);
    return this;
  }

  private close(): void {
    this.state = 'end';
    process.nextTick(() => this.events.emit('end'));
  }

  private key(name: string): string {
    return this.keyPrefix + name;
  }

  private keys(command: string, names: string[]): string[] {
    if (names.length === 0) throw wrongArgumentCountError(command);
    return names.map((name) => this.key(name));
  }

  /** Runs after every command issued before it has finished; rejects once the connection is closed. */
  private run<T>(command: () => T | Promise<T>): Promise<T> {
    if (this.state === 'end') return Promise.reject(connectionClosedError());
    const result = this.queue.then(() => {
      if (this.state === 'end') throw connectionClosedError();
      return command();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Waits for an XADD to one of the streams (or the BLOCK timeout), then tries the read again. */
  private blockUntilDelivered(request: GroupReadRequest): Promise<StreamReadReply | null> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        for (const unsubscribe of unsubscribes) unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
        this.abortBlockedRead = undefined;
        settle();
      };
      const retry = (): void => {
        if (settled) return;
        try {
          const reply = reads.readGroup(this.keyspace, request);
          if (reply !== null) finish(() => resolve(reply));
        } catch (error) {
          finish(() => reject(error));
        }
      };
      const streamKeys = new Set(request.streams.map(({ key }) => key));
      const unsubscribes = [...streamKeys].map((key) => this.keyspace.onStreamAppend(key, retry));
      const timer = request.blockMs
        ? setTimeout(() => finish(() => resolve(null)), request.blockMs)
        : undefined;
      this.abortBlockedRead = (error) => finish(() => reject(error));
    });
  }
}
