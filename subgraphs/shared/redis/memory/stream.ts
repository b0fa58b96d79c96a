import { compareStreamIds, formatStreamId, MIN_ID } from './stream-id.js';
import type { StreamId, StreamIdInterval } from './stream-id.js';

export interface StoredStreamEntry {
  id: StreamId;
  idText: string;
  fields: string[];
}

/** One entry of a group's pending entries list (PEL): delivered, not acknowledged yet. */
export interface PendingDelivery {
  id: StreamId;
  idText: string;
  consumer: string;
  deliveredAt: number;
  deliveryCount: number;
}

export interface ConsumerGroup {
  lastDeliveredId: StreamId;
  pending: Map<string, PendingDelivery>;
  /** Consumer names; a consumer exists from its first read (or CREATECONSUMER) until DELCONSUMER. */
  consumers: Set<string>;
}

/**
 * Redis packs stream entries into radix-tree nodes of at most `stream-node-max-entries` (default 100), and
 * approximate trimming ('~') only drops whole nodes. Trimming here in blocks of the same size keeps the
 * adapter from promising more than Redis does (an exact length after '~').
 */
const NODE_ENTRIES = 100;

/** A stream: entries in id order, the last id ever generated (which survives XDEL), and its groups. */
export class MemoryStream {
  readonly entries: StoredStreamEntry[] = [];
  lastId: StreamId = MIN_ID;
  readonly groups = new Map<string, ConsumerGroup>();

  append(id: StreamId, fields: string[]): void {
    this.entries.push({ id, idText: formatStreamId(id), fields });
    this.lastId = id;
  }

  find(id: StreamId): StoredStreamEntry | undefined {
    const index = this.lowerBound(id);
    const entry = this.entries[index];
    return entry !== undefined && compareStreamIds(entry.id, id) === 0 ? entry : undefined;
  }

  /** Entries inside the interval, in id order (or reversed), at most `count` when given. */
  range(interval: StreamIdInterval, count?: number, reverse = false): StoredStreamEntry[] {
    if (compareStreamIds(interval.start, interval.end) > 0) return [];
    const from = this.lowerBound(interval.start);
    let to = from;
    while (to < this.entries.length && compareStreamIds(this.entries[to].id, interval.end) <= 0) to += 1;
    const selected = this.entries.slice(from, to);
    if (reverse) selected.reverse();
    return count === undefined ? selected : selected.slice(0, count);
  }

  /** Entries strictly after `id`, at most `count` (0 or undefined: all). */
  after(id: StreamId, count?: number): StoredStreamEntry[] {
    let from = this.lowerBound(id);
    if (from < this.entries.length && compareStreamIds(this.entries[from].id, id) === 0) from += 1;
    const end = count ? from + count : this.entries.length;
    return this.entries.slice(from, end);
  }

  delete(id: StreamId): boolean {
    const index = this.lowerBound(id);
    const entry = this.entries[index];
    if (entry === undefined || compareStreamIds(entry.id, id) !== 0) return false;
    this.entries.splice(index, 1);
    return true;
  }

  /** Drops the oldest entries beyond `maxLength`; returns how many went. */
  trimToLength(maxLength: number, approximate: boolean): number {
    return this.dropOldest(Math.max(0, this.entries.length - maxLength), approximate);
  }

  /** Drops entries with an id below `minId`; returns how many went. */
  trimBelow(minId: StreamId, approximate: boolean): number {
    return this.dropOldest(this.lowerBound(minId), approximate);
  }

  private dropOldest(excess: number, approximate: boolean): number {
    const count = approximate ? Math.floor(excess / NODE_ENTRIES) * NODE_ENTRIES : excess;
    if (count > 0) this.entries.splice(0, count);
    return count;
  }

  /** Index of the first entry with an id >= `id`. */
  private lowerBound(id: StreamId): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareStreamIds(this.entries[middle].id, id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The group's pending entries in id order (Redis keeps them in a radix tree). */
export function pendingInOrder(group: ConsumerGroup): PendingDelivery[] {
  return [...group.pending.values()].sort((a, b) => compareStreamIds(a.id, b.id));
}
