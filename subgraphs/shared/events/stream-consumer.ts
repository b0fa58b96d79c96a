import type { RedisClient, StreamEntry } from '../redis/redis-client.js';
import { redisErrorCode } from '../redis/reply-error.js';
import type { BackgroundWorker } from './background-worker.js';
import { Backoff, Wakeable } from './background-worker.js';

export interface StreamMessage {
  id: string;
  fields: string[];
}

export interface StreamConsumerOptions {
  /** A connection of its own: a blocking read holds back every other command on its connection. */
  redis: RedisClient;
  stream: string;
  group: string;
  consumer: string;
  /**
   * Applies a batch of entries (entries deleted from the stream meanwhile are left out); throw to leave the
   * whole batch unacknowledged (it is delivered again). Must be idempotent.
   */
  handle: (entries: StreamMessage[]) => Promise<void>;
  batchSize?: number;
  blockMs?: number;
  /** Entries another consumer has held this long without acknowledging are taken over. */
  claimIdleMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * A consumer-group reader: reads new entries, applies each and acknowledges it after applying; re-reads its own
 * unacknowledged entries on start (a restart of the same consumer) and takes over entries stuck with a dead
 * consumer (XAUTOCLAIM after `claimIdleMs`). Redis errors back off and retry.
 */
export class StreamConsumer implements BackgroundWorker {
  readonly name: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly backoff = new Backoff(100, 5_000);
  private readonly pause = new Wakeable();
  private lastClaim = 0;

  constructor(private readonly options: StreamConsumerOptions) {
    this.name = `${options.group}/${options.consumer}`;
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.options.redis.xgroup('CREATE', this.options.stream, this.options.group, '0', 'MKSTREAM');
    } catch (error) {
      if (redisErrorCode(error) !== 'BUSYGROUP') throw error;
    }
  }

  private async apply(entries: readonly (readonly [string, string[] | null])[]): Promise<void> {
    if (entries.length === 0) return;
    const { redis, stream, group } = this.options;
    const messages = entries
      .filter(([, fields]) => fields !== null)
      .map(([id, fields]) => ({ id, fields: fields! }));
    if (messages.length > 0) await this.options.handle(messages);
    await redis.xack(stream, group, ...entries.map(([id]) => id));
  }

  /** One round: own pending entries, entries to take over, then new ones. Returns how many it applied. */
  async poll(): Promise<number> {
    const { redis, stream, group, consumer } = this.options;
    const count = this.options.batchSize ?? 100;
    let applied = 0;
    const pending = await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '0');
    const own = pending?.[0]?.[1] ?? [];
    await this.apply(own);
    applied += own.length;

    const claimIdleMs = this.options.claimIdleMs ?? 30_000;
    if (Date.now() - this.lastClaim >= Math.min(claimIdleMs, 5_000)) {
      this.lastClaim = Date.now();
      const [, claimed] = (await redis.xautoclaim(
        stream,
        group,
        consumer,
        claimIdleMs,
        '0-0',
        'COUNT',
        count,
      )) as [string, StreamEntry[], string[]];
      await this.apply(claimed);
      applied += claimed.length;
    }

    const fresh = await redis.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      this.options.blockMs ?? 1_000,
      'STREAMS',
      stream,
      '>',
    );
    const entries = fresh?.[0]?.[1] ?? [];
    await this.apply(entries);
    return applied + entries.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.ensureGroup();
          break;
        } catch (error) {
          this.options.onError?.(error);
          await this.pause.wait(this.backoff.next());
        }
      }
      while (this.running) {
        try {
          await this.poll();
          this.backoff.reset();
        } catch (error) {
          if (!this.running) break;
          this.options.onError?.(error);
          await this.pause.wait(this.backoff.next());
          // A Redis that restarted empty has lost the stream and its groups: create them again.
          if (redisErrorCode(error) === 'NOGROUP') await this.ensureGroup().catch(() => undefined);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pause.wake();
    // A read blocked in BLOCK returns within blockMs; disconnecting this consumer's own connection ends it now.
    this.options.redis.disconnect();
    await this.loop;
  }
}
