import type {
  ActivityStream,
  ConsumerGroupReader,
  ConsumerGroupStatus,
  StreamEntry,
} from './activity-stream.js';
import { ConsumerGroupMissingError, entryAgeMs } from './activity-stream.js';

interface Entry extends StreamEntry {
  /** Position in the stream: contiguous, so an entry's index is `seq - first seq`. */
  readonly seq: number;
}

interface Delivery {
  readonly entry: Entry;
  consumer: string;
  deliveredAt: number;
}

interface Group {
  lastDeliveredSeq: number;
  pending: Map<string, Delivery>;
}

/** Trimming waits for this many entries beyond the maximum, so publishing does not shift the array each time. */
const TRIM_SLACK = 1_000;

/**
 * The activity stream in this process, for `npm start` and tests without REDIS_URL: every service in the
 * process shares one instance. Only what the port promises, with Redis's rules for it: ids `<ms>-<seq>`,
 * groups that start at the first entry, a re-read or a claim counting as a new delivery (idle time reset).
 */
export class MemoryActivityStream implements ActivityStream {
  private entries: Entry[] = [];
  private groups = new Map<string, Group>();
  private nextSeq = 1;
  private lastMs = 0;
  private seqInMs = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly maxLength = 1_000_000) {}

  async publish(payloads: readonly string[]): Promise<string[]> {
    const ids = payloads.map((payload) => this.append(payload));
    if (this.entries.length > this.maxLength + TRIM_SLACK) this.trim(this.entries.length - this.maxLength);
    for (const wake of this.waiting) wake();
    return ids;
  }

  openReader(group: string, consumer: string): ConsumerGroupReader {
    return new MemoryGroupReader(this, group, consumer);
  }

  async length(): Promise<number> {
    return this.entries.length;
  }

  /** An entry keeps its place (positions are contiguous) with an empty payload, which consumers skip. */
  async removeEntries(matches: (payload: string) => boolean): Promise<number> {
    let removed = 0;
    this.entries = this.entries.map((entry) => {
      if (entry.payload === '' || !matches(entry.payload)) return entry;
      removed += 1;
      for (const group of this.groups.values()) group.pending.delete(entry.id);
      return { ...entry, payload: '' };
    });
    return removed;
  }

  async groupStatus(name: string): Promise<ConsumerGroupStatus | null> {
    const group = this.groups.get(name);
    if (!group) return null;
    const pendingByConsumer: Record<string, number> = {};
    let oldest: Entry | undefined;
    for (const { entry, consumer } of group.pending.values()) {
      pendingByConsumer[consumer] = (pendingByConsumer[consumer] ?? 0) + 1;
      if (!oldest || entry.seq < oldest.seq) oldest = entry;
    }
    const lastSeq = this.nextSeq - 1;
    const firstSeq = this.entries[0]?.seq ?? this.nextSeq;
    return {
      pending: group.pending.size,
      pendingByConsumer,
      oldestPendingAgeMs: oldest ? entryAgeMs(oldest.id) : null,
      lag: lastSeq - Math.max(group.lastDeliveredSeq, firstSeq - 1),
    };
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
  }

  /** Drops every entry and group, as a Redis restarted without persistence does (tests of recovery). */
  clear(): void {
    this.entries = [];
    this.groups = new Map();
  }

  // What the readers below use; not part of the port.

  createGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, { lastDeliveredSeq: 0, pending: new Map() });
  }

  pendingOf(name: string): Map<string, Delivery> | undefined {
    return this.groups.get(name)?.pending;
  }

  group(name: string): Group {
    const group = this.groups.get(name);
    if (!group) throw new ConsumerGroupMissingError(name);
    return group;
  }

  /** Entries after the group's last delivered one, handed to `consumer`. */
  takeNew(group: Group, consumer: string, count: number): Entry[] {
    const firstSeq = this.entries[0]?.seq ?? this.nextSeq;
    const from = Math.max(group.lastDeliveredSeq + 1, firstSeq) - firstSeq;
    const taken = this.entries.slice(from, from + count);
    const now = Date.now();
    if (taken.length > 0) group.lastDeliveredSeq = taken[taken.length - 1].seq;
    // Removed entries (empty payload) are passed over, as XREADGROUP never returns a deleted entry.
    const live = taken.filter((entry) => entry.payload !== '');
    for (const entry of live) group.pending.set(entry.id, { entry, consumer, deliveredAt: now });
    return live;
  }

  /** Resolves on the next publish, after `ms`, or when `abort` is called. */
  waitForPublish(ms: number, onAbort: (abort: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
      onAbort(done);
    });
  }

  private append(payload: string): string {
    const now = Date.now();
    if (now > this.lastMs) [this.lastMs, this.seqInMs] = [now, 0];
    else this.seqInMs += 1;
    const entry: Entry = { seq: this.nextSeq++, id: `${this.lastMs}-${this.seqInMs}`, payload };
    this.entries.push(entry);
    return entry.id;
  }

  /** Removes the oldest entries, and with them their place in every pending list. */
  private trim(count: number): void {
    for (const { id } of this.entries.splice(0, count))
      for (const group of this.groups.values()) group.pending.delete(id);
  }
}

const bySeq = (a: Delivery, b: Delivery): number => a.entry.seq - b.entry.seq;
const asEntry = ({ entry: { id, payload } }: Delivery): StreamEntry => ({ id, payload });

class MemoryGroupReader implements ConsumerGroupReader {
  private closed = false;
  private abortWait: (() => void) | null = null;

  constructor(
    private readonly stream: MemoryActivityStream,
    private readonly groupName: string,
    private readonly consumer: string,
  ) {}

  async createGroup(): Promise<void> {
    this.checkOpen();
    this.stream.createGroup(this.groupName);
  }

  async readNew(count: number, waitMs = 0): Promise<StreamEntry[]> {
    this.checkOpen();
    const taken = this.stream.takeNew(this.stream.group(this.groupName), this.consumer, count);
    if (taken.length > 0 || waitMs <= 0) return taken.map(({ id, payload }) => ({ id, payload }));
    await this.stream.waitForPublish(waitMs, (abort) => (this.abortWait = abort));
    this.abortWait = null;
    return this.readNew(count, 0);
  }

  async readPending(count: number): Promise<StreamEntry[]> {
    this.checkOpen();
    const own = [...this.stream.group(this.groupName).pending.values()]
      .filter((d) => d.consumer === this.consumer)
      .sort(bySeq)
      .slice(0, count);
    return this.redeliver(own);
  }

  async claimIdle(minIdleMs: number, count: number): Promise<StreamEntry[]> {
    this.checkOpen();
    const idleSince = Date.now() - minIdleMs;
    const idle = [...this.stream.group(this.groupName).pending.values()]
      .filter((d) => d.deliveredAt <= idleSince)
      .sort(bySeq)
      .slice(0, count);
    return this.redeliver(idle);
  }

  async acknowledge(ids: readonly string[]): Promise<void> {
    this.checkOpen();
    // As XACK: acknowledging in a group that is gone changes nothing.
    const pending = this.stream.pendingOf(this.groupName);
    for (const id of ids) pending?.delete(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abortWait?.();
  }

  private redeliver(deliveries: Delivery[]): StreamEntry[] {
    const now = Date.now();
    for (const delivery of deliveries) [delivery.consumer, delivery.deliveredAt] = [this.consumer, now];
    return deliveries.map(asEntry);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the reader is closed');
  }
}
