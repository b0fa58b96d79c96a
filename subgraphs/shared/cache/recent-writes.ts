import { ExpiringMap } from './expiring-map.js';

/**
 * What this process last wrote under each key, for a write that a read repeats (the dashboard remembers the
 * member's facts and tier on every view): the caller skips a write whose value it wrote under the same key
 * less than `refreshMs` ago. The stored value is then the same unless something else changed it, and even
 * so it is written again within `refreshMs`. Holds at most `max` keys, the oldest written dropped first.
 */
export class RecentWrites {
  private readonly written: ExpiringMap<string>;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(options: { max?: number; refreshMs?: number; now?: () => number } = {}) {
    this.refreshMs = options.refreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.written = new ExpiringMap(options.max ?? 50_000, this.now);
  }

  /** True when `value` was written under `key` less than `refreshMs` ago (by this process). */
  has(key: string, value: string): boolean {
    return this.written.get(key) === value;
  }

  /** Records a write that succeeded. */
  wrote(key: string, value: string): void {
    this.written.set(key, value, this.now() + this.refreshMs);
  }

  /** Forgets the key: its next write goes to the store (after a delete, say). */
  forget(key: string): void {
    this.written.delete(key);
  }
}

/**
 * Runs `write` unless `value` was written under `key` within the refresh interval; records it once it has
 * succeeded (a failed write is tried again next time).
 */
export async function writeUnlessRecent(
  recent: RecentWrites,
  key: string,
  value: string,
  write: () => Promise<unknown>,
): Promise<void> {
  if (recent.has(key, value)) return;
  await write();
  recent.wrote(key, value);
}
