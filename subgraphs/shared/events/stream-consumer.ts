import { observeAppliedAges, observeConsumer } from '../observability/event-consumer-metrics.js';
import type { ActivityStream, ConsumerGroupReader, StreamEntry } from '../streams/activity-stream.js';
import { ConsumerGroupMissingError, entryAgeMs } from '../streams/activity-stream.js';
import type { BackgroundWorker } from './background-worker.js';
import { Backoff, Wakeable } from './background-worker.js';

export interface StreamConsumerOptions {
  stream: ActivityStream;
  group: string;
  consumer: string;
  /** Applies a batch of entries; throw to leave the whole batch unacknowledged (it is delivered again). Must be idempotent. */
  handle: (entries: StreamEntry[]) => Promise<void>;
  batchSize?: number;
  /** How long one read waits for new entries. */
  waitMs?: number;
  /** Entries another consumer has held this long without acknowledging are taken over. */
  claimIdleMs?: number;
  onError?: (error: unknown) => void;
  /** How often the group's pending count and lag are read for /metrics (default 5 s; 0 turns it off). */
  statusIntervalMs?: number;
}

/**
 * A consumer-group reader: reads new entries, applies each batch and acknowledges it after applying; re-reads
 * its own unacknowledged entries (a restart of the same consumer) and takes over entries stuck with a dead
 * consumer (after `claimIdleMs`). Stream errors back off and retry; a group the stream lost is created again.
 */
export class StreamConsumer implements BackgroundWorker {
  readonly name: string;
  private readonly reader: ConsumerGroupReader;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly backoff = new Backoff(100, 5_000);
  private readonly pause = new Wakeable();
  private lastClaim = 0;
  private lastStatus = 0;

  constructor(private readonly options: StreamConsumerOptions) {
    this.name = `${options.group}/${options.consumer}`;
    this.reader = options.stream.openReader(options.group, options.consumer);
  }

  private async apply(entries: StreamEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    await this.options.handle(entries);
    await this.reader.acknowledge(entries.map((entry) => entry.id));
    const now = Date.now();
    observeAppliedAges(
      this.options.group,
      entries.map((entry) => entryAgeMs(entry.id, now)),
    );
    return entries.length;
  }

  /** Reports the group's pending count and lag to /metrics, at most every `statusIntervalMs`. */
  private async reportStatus(): Promise<void> {
    const interval = this.options.statusIntervalMs ?? 5_000;
    if (interval <= 0 || Date.now() - this.lastStatus < interval) return;
    this.lastStatus = Date.now();
    const status = await this.options.stream.groupStatus(this.options.group);
    if (!status) return;
    observeConsumer(this.options.group, {
      pending: status.pending,
      lagMs: status.oldestPendingAgeMs ?? 0,
      undelivered: status.lag,
    });
  }

  /** One round: own pending entries, entries to take over, then new ones. Returns how many it applied. */
  async poll(): Promise<number> {
    const count = this.options.batchSize ?? 100;
    let applied = await this.apply(await this.reader.readPending(count));
    const claimIdleMs = this.options.claimIdleMs ?? 30_000;
    if (Date.now() - this.lastClaim >= Math.min(claimIdleMs, 5_000)) {
      this.lastClaim = Date.now();
      applied += await this.apply(await this.reader.claimIdle(claimIdleMs, count));
    }
    applied += await this.apply(await this.reader.readNew(count, this.options.waitMs ?? 1_000));
    await this.reportStatus();
    return applied;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.reader.createGroup();
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
          if (error instanceof ConsumerGroupMissingError)
            await this.reader.createGroup().catch(() => undefined);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pause.wake();
    // Closing the reader ends a read waiting for new entries at once.
    await this.reader.close();
    await this.loop;
  }
}
