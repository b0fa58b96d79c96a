import type { Clock, RateLimiter } from './rate-limiter.js';
import type { BucketState, RateDecision, TokenBucketLimit } from './token-bucket.js';
import { takeToken } from './token-bucket.js';

/**
 * Token buckets in this process: for a single replica, tests, and as the fallback of the Redis limiter.
 * At most `maxKeys` buckets are kept, the one used longest ago going first (a Map keeps insertion order and
 * every take re-inserts), so a flood of new keys (addresses, say) cannot grow the process without bound;
 * a bucket dropped that way comes back full, which only errs towards letting a request through.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly clock: Clock = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async take(key: string, limit: TokenBucketLimit): Promise<RateDecision> {
    return this.takeNow(key, limit);
  }

  /** The same decision, synchronously (what `take` does; the Redis limiter's fallback calls it). */
  takeNow(key: string, limit: TokenBucketLimit): RateDecision {
    const { state, decision } = takeToken(this.buckets.get(key), limit, this.clock());
    this.buckets.delete(key);
    this.buckets.set(key, state);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return decision;
  }

  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {}
}
