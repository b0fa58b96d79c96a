/**
 * The token bucket (Turner, "New directions in communications", 1986; the shape of RFC 2697's meters): a
 * bucket holds at most `burst` tokens and gains `perSecond` tokens per second; a request takes one, and is
 * refused while the bucket is empty. `burst` is how many requests may arrive at once, `perSecond` the rate
 * they may keep up. The Redis script in `redis-rate-limiter.ts` computes exactly this, atomically.
 */
export interface TokenBucketLimit {
  /** Most tokens the bucket holds: the largest burst accepted at once (≥ 1). */
  burst: number;
  /** Tokens gained per second: the sustained rate (> 0, fractions allowed). */
  perSecond: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was last computed, in ms (the limiter's clock). */
  updatedAt: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: ms until one token is back; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Refills the bucket for the time since it was last seen, then takes a token if there is one. A clock that
 * went backwards (another replica's, on Redis) refills nothing rather than draining the bucket.
 */
export function takeToken(
  state: BucketState | undefined,
  limit: TokenBucketLimit,
  now: number,
): { state: BucketState; decision: RateDecision } {
  let tokens = state ? state.tokens : limit.burst;
  let updatedAt = state ? state.updatedAt : now;
  if (now > updatedAt) {
    tokens = Math.min(limit.burst, tokens + ((now - updatedAt) * limit.perSecond) / 1000);
    updatedAt = now;
  }
  if (tokens >= 1) {
    tokens -= 1;
    return {
      state: { tokens, updatedAt },
      decision: { allowed: true, remaining: Math.floor(tokens), retryAfterMs: 0 },
    };
  }
  const retryAfterMs = Math.ceil(((1 - tokens) * 1000) / limit.perSecond);
  return { state: { tokens, updatedAt }, decision: { allowed: false, remaining: 0, retryAfterMs } };
}

/** `Retry-After` (RFC 9110 §10.2.3) in whole seconds, at least 1 so that a client never retries at once. */
export const retryAfterSeconds = (decision: RateDecision): number =>
  Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
