import { wrongTypeError } from '../reply-error.js';
import type { SortedSet } from './sorted-set.js';
import type { MemoryStream } from './stream.js';

export type StoredValue =
  | { type: 'string'; value: string }
  | { type: 'hash'; fields: Map<string, string> }
  | { type: 'zset'; set: SortedSet }
  | { type: 'stream'; stream: MemoryStream };

export type StoredType = StoredValue['type'];
export type StoredOf<T extends StoredType> = Extract<StoredValue, { type: T }>;

interface KeyEntry {
  value: StoredValue;
  /** Epoch ms; Redis considers a key expired once the clock is strictly past it. */
  expiresAt: number | undefined;
}

/**
 * The data of one in-process "server", shared by every connection made on it, so a producer and a consumer
 * created separately see the same streams, as they would on Redis. Keys expire lazily (every access checks)
 * and periodically (an unref'd timer collects keys nobody touches again), as Redis does.
 */
export class MemoryKeyspace {
  private readonly entries = new Map<string, KeyEntry>();
  private readonly expiring = new Set<string>();
  private readonly streamWaiters = new Map<string, Set<() => void>>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly sweepIntervalMs = 1000) {}

  /** Keys held, including expired ones not collected yet (lets tests observe the periodic sweep). */
  get storedKeyCount(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.live(key) !== undefined;
  }

  /** The value at `key` if it has `type`; undefined when missing; WRONGTYPE when it holds another type. */
  read<T extends StoredType>(key: string, type: T): StoredOf<T> | undefined {
    const entry = this.live(key);
    if (entry === undefined) return undefined;
    if (entry.value.type !== type) throw wrongTypeError();
    return entry.value as StoredOf<T>;
  }

  /** The value at `key`, created empty (without TTL) when missing. */
  readOrCreate<T extends StoredType>(key: string, type: T, create: () => StoredOf<T>): StoredOf<T> {
    const existing = this.read(key, type);
    if (existing !== undefined) return existing;
    const created = create();
    this.entries.set(key, { value: created, expiresAt: undefined });
    return created;
  }

  /** Replaces whatever `key` holds; the TTL is cleared unless `keepTtl` (SET ... KEEPTTL, INCR). */
  write(key: string, value: StoredValue, keepTtl = false): void {
    const expiresAt = keepTtl ? this.live(key)?.expiresAt : undefined;
    this.entries.set(key, { value, expiresAt });
    if (expiresAt === undefined) this.expiring.delete(key);
  }

  delete(key: string): boolean {
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    this.expiring.delete(key);
    return existed;
  }

  /** Hashes and sorted sets stop existing when their last member goes, as in Redis. */
  deleteIfEmpty(key: string, size: number): void {
    if (size === 0) this.delete(key);
  }

  /** Epoch ms of the key's expiry: undefined without TTL, null when the key does not exist. */
  expiryOf(key: string): number | undefined | null {
    const entry = this.live(key);
    return entry === undefined ? null : entry.expiresAt;
  }

  /** Sets the absolute expiry of an existing key; an instant already past deletes it, as EXPIRE 0 does. */
  expireAt(key: string, at: number): void {
    const entry = this.live(key);
    if (entry === undefined) return;
    if (at <= Date.now()) {
      this.delete(key);
      return;
    }
    entry.expiresAt = at;
    this.expiring.add(key);
    this.startSweeping();
  }

  liveKeys(): string[] {
    return [...this.entries.keys()].filter((key) => this.live(key) !== undefined);
  }

  /** Registers a callback run synchronously after every XADD to `key`; returns the unsubscribe function. */
  onStreamAppend(key: string, listener: () => void): () => void {
    let listeners = this.streamWaiters.get(key);
    if (listeners === undefined) {
      listeners = new Set();
      this.streamWaiters.set(key, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.streamWaiters.delete(key);
    };
  }

  /** Redis serves clients blocked on a key right after the command that fed it, before any other command. */
  notifyStreamAppend(key: string): void {
    const listeners = this.streamWaiters.get(key);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) listener();
  }

  private live(key: string): KeyEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && Date.now() > entry.expiresAt) {
      this.entries.delete(key);
      this.expiring.delete(key);
      return undefined;
    }
    return entry;
  }

  private startSweeping(): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setInterval(() => this.sweep(), this.sweepIntervalMs);
    // Expiry housekeeping must never keep a process alive on its own.
    this.sweepTimer.unref();
  }

  private sweep(): void {
    for (const key of [...this.expiring]) this.live(key);
    if (this.expiring.size === 0 && this.sweepTimer !== undefined) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }
}

let processKeyspace: MemoryKeyspace | undefined;

/** The keyspace every in-process client shares unless given its own: one "server" per process. */
export function sharedMemoryKeyspace(): MemoryKeyspace {
  processKeyspace ??= new MemoryKeyspace();
  return processKeyspace;
}
