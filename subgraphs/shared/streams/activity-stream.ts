/**
 * The member-activity stream as the product uses it: brands publish, each consuming service reads through a
 * consumer group and acknowledges after applying. Backed by Redis Streams (`redis-activity-stream.ts`) or,
 * without REDIS_URL, by an in-process stream (`memory-activity-stream.ts`); both pass
 * `activity-stream.contract.test.ts`.
 */

/** One published payload (the JSON of a MemberActivityMessage) and the id the stream gave it. */
export interface StreamEntry {
  readonly id: string;
  readonly payload: string;
}

export interface ActivityStream {
  /** Appends the payloads in order; resolves with their ids once all are stored. */
  publish(payloads: readonly string[]): Promise<string[]>;
  /**
   * A reader for `consumer` in `group`. On Redis it holds a connection of its own (a blocking read holds
   * back every other command on its connection), released by `close()`.
   */
  openReader(group: string, consumer: string): ConsumerGroupReader;
  /** How many entries the stream holds. */
  length(): Promise<number>;
  /**
   * Removes every entry whose payload `matches` (erasure of a member, docs/architecture.md §7): no consumer
   * receives it again, pending or not. Reads the whole stream; resolves with how many were removed.
   */
  removeEntries(matches: (payload: string) => boolean): Promise<number>;
  /** Pending entries and lag of a group, for metrics and tests; null when there is no such group. */
  groupStatus(group: string): Promise<ConsumerGroupStatus | null>;
  close(): Promise<void>;
}

/**
 * Every read hands entries to this consumer and keeps them pending in the group until `acknowledge`.
 * Entries removed from the stream while pending (trimmed) are dropped from the pending list, never handed
 * out. Reads reject with `ConsumerGroupMissingError` when the group is gone (a Redis that restarted without
 * persistence), and acknowledging in it does nothing; `createGroup()` makes it again.
 */
export interface ConsumerGroupReader {
  /** Creates the group (and the stream) reading from the first entry; does nothing when it exists. */
  createGroup(): Promise<void>;
  /** Entries never delivered to the group, oldest first; waits up to `waitMs` for one when there are none. */
  readNew(count: number, waitMs?: number): Promise<StreamEntry[]>;
  /** This consumer's own unacknowledged entries (a restart of the same consumer), delivered again. */
  readPending(count: number): Promise<StreamEntry[]>;
  /** Takes over entries any consumer of the group has held unacknowledged for at least `minIdleMs`. */
  claimIdle(minIdleMs: number, count: number): Promise<StreamEntry[]>;
  acknowledge(ids: readonly string[]): Promise<void>;
  /** Ends a read waiting in `readNew` at once and releases the reader. */
  close(): Promise<void>;
}

export interface ConsumerGroupStatus {
  /** Entries delivered and not yet acknowledged. */
  pending: number;
  pendingByConsumer: Record<string, number>;
  /** Age of the oldest pending entry, from the time it was published; null with nothing pending. */
  oldestPendingAgeMs: number | null;
  /** Entries not yet delivered to the group; null when Redis cannot tell (before 7.0, or after deletions). */
  lag: number | null;
}

export class ConsumerGroupMissingError extends Error {
  constructor(readonly group: string) {
    super(`consumer group "${group}" does not exist (the stream was lost); create it again`);
    this.name = 'ConsumerGroupMissingError';
  }
}

/** Stream ids are `<milliseconds>-<sequence>`: the age of an entry is read off its id. */
export const entryAgeMs = (id: string, now = Date.now()): number =>
  Math.max(0, now - Number(id.slice(0, id.indexOf('-'))));
