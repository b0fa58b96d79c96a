import type { RateDecision, TokenBucketLimit } from './token-bucket.js';

export type { RateDecision, TokenBucketLimit } from './token-bucket.js';

/**
 * Rate limits as a port: one token bucket per key (a principal, a partner), in this process
 * (`memory-rate-limiter.ts`) or on Redis, shared by every replica (`redis-rate-limiter.ts`). A limiter
 * never holds a request up for its store: on Redis, a failure or a slow answer falls back to the
 * in-process buckets (failing open: each replica then limits on its own), reported to the `onError` the
 * limiter was made with and counted in `/metrics`.
 */
export interface RateLimiter {
  /** Takes one token from `key`'s bucket, creating it full; says whether the request may go on. */
  take(key: string, limit: TokenBucketLimit): Promise<RateDecision>;
  close(): Promise<void>;
}

/** The limiter's clock in ms: `Date.now` in services, a hand-moved one in tests. */
export type Clock = () => number;
