import type { Redis } from 'ioredis';
import { closeRedis, duplicateRedis } from '../redis-connection.js';
import type {
  ActivityStream,
  ConsumerGroupReader,
  ConsumerGroupStatus,
  StreamEntry,
} from './activity-stream.js';
import { ConsumerGroupMissingError, entryAgeMs } from './activity-stream.js';

/** The stream entry field that holds the payload (kept from the first release: streams already in Redis read on). */
const PAYLOAD_FIELD = 'message';

type RawEntry = [id: string, fields: string[] | null];
type ReadGroupReply = [stream: string, entries: RawEntry[]][] | null;
type PendingSummary = [
  count: number,
  smallest: string | null,
  greatest: string | null,
  [string, string][] | null,
];

const payloadOf = (fields: string[]): string => {
  const at = fields.indexOf(PAYLOAD_FIELD);
  // An entry without the field is not ours: an empty payload, which consumers skip as undecodable.
  return at >= 0 && at + 1 < fields.length ? fields[at + 1] : '';
};
const toEntries = (raw: RawEntry[]): StreamEntry[] =>
  raw
    .filter((e): e is [string, string[]] => e[1] !== null)
    .map(([id, fields]) => ({ id, payload: payloadOf(fields) }));
const isNoGroup = (error: unknown): boolean => error instanceof Error && error.message.startsWith('NOGROUP');

/**
 * The activity stream on Redis Streams: XADD (trimmed with MAXLEN ~), XREADGROUP, XACK, XAUTOCLAIM. `connection`
 * is for publishing and inspection; each reader gets a duplicate, since XREADGROUP BLOCK holds its connection.
 */
export class RedisActivityStream implements ActivityStream {
  constructor(
    private readonly connection: Redis,
    /** The full key, prefix included. */
    private readonly key: string,
    /** Length kept, approximately (Redis trims whole nodes): consumers are expected to keep up far within it. */
    private readonly maxLength: number,
  ) {}

  async publish(payloads: readonly string[]): Promise<string[]> {
    if (payloads.length === 0) return [];
    const pipeline = this.connection.pipeline();
    for (const payload of payloads)
      pipeline.xadd(this.key, 'MAXLEN', '~', this.maxLength, '*', PAYLOAD_FIELD, payload);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return results.map(([, id]) => id as string);
  }

  openReader(group: string, consumer: string): ConsumerGroupReader {
    return new RedisGroupReader(duplicateRedis(this.connection), this.key, group, consumer);
  }

  length(): Promise<number> {
    return this.connection.xlen(this.key);
  }

  /** XRANGE in pages, then XDEL: a deleted entry pending in a group is dropped when read, as a trimmed one. */
  async removeEntries(matches: (payload: string) => boolean): Promise<number> {
    let removed = 0;
    let start = '-';
    for (;;) {
      const page = (await this.connection.xrange(this.key, start, '+', 'COUNT', 1000)) as [
        string,
        string[],
      ][];
      if (page.length === 0) return removed;
      const ids = page.filter(([, fields]) => matches(payloadOf(fields))).map(([id]) => id);
      if (ids.length > 0) removed += await this.connection.xdel(this.key, ...ids);
      start = `(${page[page.length - 1][0]}`;
    }
  }

  async groupStatus(group: string): Promise<ConsumerGroupStatus | null> {
    let summary: PendingSummary;
    try {
      summary = (await this.connection.xpending(this.key, group)) as PendingSummary;
    } catch (error) {
      if (isNoGroup(error)) return null;
      throw error;
    }
    // XINFO GROUPS: one flat field/value list per group; `lag` since Redis 7.0.
    const groups = (await this.connection.xinfo('GROUPS', this.key)) as unknown[][];
    const [pending, oldest, , consumers] = summary;
    const info = groups.find((fields) => fields[fields.indexOf('name') + 1] === group) ?? [];
    const lagAt = info.indexOf('lag');
    const lag = lagAt >= 0 ? info[lagAt + 1] : null;
    return {
      pending,
      pendingByConsumer: Object.fromEntries((consumers ?? []).map(([name, count]) => [name, Number(count)])),
      oldestPendingAgeMs: oldest ? entryAgeMs(oldest) : null,
      lag: typeof lag === 'number' ? lag : null,
    };
  }

  close(): Promise<void> {
    return closeRedis(this.connection);
  }
}

class RedisGroupReader implements ConsumerGroupReader {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly group: string,
    private readonly consumer: string,
  ) {}

  async createGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  async readNew(count: number, waitMs = 0): Promise<StreamEntry[]> {
    // BLOCK 0 would wait for ever: no wait means no BLOCK at all.
    const block = waitMs > 0 ? ['BLOCK', waitMs] : [];
    const reply = await this.readGroup(['COUNT', count, ...block, 'STREAMS', this.key, '>']);
    return toEntries(reply?.[0]?.[1] ?? []);
  }

  async readPending(count: number): Promise<StreamEntry[]> {
    const reply = await this.readGroup(['COUNT', count, 'STREAMS', this.key, '0']);
    const raw = reply?.[0]?.[1] ?? [];
    // Entries trimmed from the stream while pending come back without fields: nothing left to deliver.
    const gone = raw.filter(([, fields]) => fields === null).map(([id]) => id);
    if (gone.length > 0) await this.acknowledge(gone);
    return toEntries(raw);
  }

  async claimIdle(minIdleMs: number, count: number): Promise<StreamEntry[]> {
    try {
      // XAUTOCLAIM drops ids of deleted entries from the pending list itself (third element, Redis 7).
      const [, claimed] = (await this.redis.xautoclaim(
        this.key,
        this.group,
        this.consumer,
        minIdleMs,
        '0-0',
        'COUNT',
        count,
      )) as [string, RawEntry[], string[]];
      return toEntries(claimed);
    } catch (error) {
      throw isNoGroup(error) ? new ConsumerGroupMissingError(this.group) : error;
    }
  }

  async acknowledge(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.xack(this.key, this.group, ...ids);
  }

  async close(): Promise<void> {
    // Not QUIT: that would wait for a read blocked in BLOCK. The read rejects with "Connection is closed.".
    this.redis.disconnect();
  }

  private async readGroup(args: (string | number)[]): Promise<ReadGroupReply> {
    try {
      return (await this.redis.call(
        'xreadgroup',
        'GROUP',
        this.group,
        this.consumer,
        ...args,
      )) as ReadGroupReply;
    } catch (error) {
      throw isNoGroup(error) ? new ConsumerGroupMissingError(this.group) : error;
    }
  }
}
