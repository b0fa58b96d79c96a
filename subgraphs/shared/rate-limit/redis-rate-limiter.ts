import type { Redis } from 'ioredis';
import { closeRedis } from '../redis-connection.js';
import type { FailOpenRedis } from '../cache/fail-open-redis.js';
import type { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { Clock, RateLimiter } from './rate-limiter.js';
import type { RateDecision, TokenBucketLimit } from './token-bucket.js';

/**
 * `takeToken` (token-bucket.ts) as one Lua script, so that reading, refilling and taking are one atomic step
 * however many replicas share the bucket. The bucket is a hash {tokens, at}; it expires a minute after it
 * would be full again (a full bucket and a missing one decide alike), so idle keys cost Redis nothing. The
 * expiry runs on Redis's clock, not the caller's: the minute keeps a slow request, or a test's clock, from
 * seeing a bucket vanish before it has refilled. Numbers travel as strings: Redis truncates a Lua number
 * reply to an integer. The clock is the caller's (ARGV[3]), so a test can move it; replicas' clocks only
 * need to agree roughly (NTP), and one that runs behind refills nothing instead of draining the bucket.
 */
const TAKE_TOKEN_SCRIPT = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 1000
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * per_ms)
  at = now
end
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_ms) + 60000)
return { allowed, string.format('%.17g', tokens), retry }
`;

type TakeTokenReply = [allowed: number, tokens: string, retryAfterMs: number];

interface WithTakeToken {
  jmgTakeToken(key: string, burst: number, perSecond: number, now: number): Promise<TakeTokenReply>;
}

/** Registers the script on the connection: ioredis then sends EVALSHA, and the script once if Redis lacks it. */
export function defineTakeToken(redis: Redis): void {
  redis.defineCommand('jmgTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_SCRIPT });
}

/**
 * Token buckets on Redis, shared by every replica. Each take is one round trip, failing open through
 * `FailOpenRedis` (no offline queue, a short command timeout, a cool-down after a timeout) to `fallback`,
 * this process's buckets; `onFallback` counts those.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: FailOpenRedis,
    private readonly keyPrefix: string,
    private readonly fallback: MemoryRateLimiter,
    private readonly clock: Clock = Date.now,
    private readonly onFallback: () => void = () => undefined,
  ) {}

  async take(key: string, limit: TokenBucketLimit): Promise<RateDecision> {
    const now = this.clock();
    const reply = await this.redis.run(
      'rate-limit take',
      (r) =>
        (r as unknown as WithTakeToken).jmgTakeToken(this.keyPrefix + key, limit.burst, limit.perSecond, now),
      null,
    );
    if (!reply) {
      this.onFallback();
      return this.fallback.takeNow(key, limit);
    }
    const [allowed, tokens, retryAfterMs] = reply;
    return {
      allowed: allowed === 1,
      remaining: Math.floor(Number(tokens)),
      retryAfterMs: Number(retryAfterMs),
    };
  }

  async close(): Promise<void> {
    await closeRedis(this.redis.redis);
  }
}
