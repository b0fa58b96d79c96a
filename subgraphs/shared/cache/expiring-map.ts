/**
 * A map whose entries each live until a given time, holding at most `max` of them: beyond it the one written
 * longest ago goes first (a Map keeps insertion order, and a write moves its key to the end). Expired entries
 * are dropped when read. What every in-process memo of this codebase keeps: verified tokens, response
 * generations, recent writes, the in-process key-value cache.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; untilMs: number }>();

  constructor(
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() < entry.untilMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `value` under `key` until `untilMs` (ms since the epoch, or Infinity). */
  set(key: string, value: V, untilMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, untilMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Entries held, expired ones not read since included. */
  get size(): number {
    return this.entries.size;
  }
}
