import { createHash } from 'node:crypto';
import type { CrossBrandProfile } from '../../shared/domain/cross-brand-profile.js';
import type { RedisClient } from '../../shared/redis/redis-client.js';

const TTL_SECONDS = 600;
const keyOf = (memberId: string): string => `profile:${memberId}`;

export function profileFingerprint(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('base64url');
}

/**
 * Computed cross-brand profiles in Redis. An entry is used only for exactly the inputs it was computed from
 * (the fingerprint covers the behaviours, the consent list and the population model), so a cached profile is
 * never stale and always agrees with the benefits subgraph's tier. A member's new event or consent change
 * deletes the entry at once (it can no longer be hit), and it expires after ten minutes in any case. Redis
 * trouble never fails a query: the profile is then computed afresh.
 */
export class ProfileCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async get(memberId: string, fingerprint: string): Promise<CrossBrandProfile | null> {
    try {
      const raw = await this.redis.get(keyOf(memberId));
      if (!raw) return null;
      const entry = JSON.parse(raw) as { fingerprint: string; profile: CrossBrandProfile };
      return entry.fingerprint === fingerprint ? entry.profile : null;
    } catch (error) {
      this.onError(error);
      return null;
    }
  }

  async set(memberId: string, fingerprint: string, profile: CrossBrandProfile): Promise<void> {
    try {
      await this.redis.set(keyOf(memberId), JSON.stringify({ fingerprint, profile }), 'EX', TTL_SECONDS);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Throws when Redis fails, so a stream consumer leaves the message unacknowledged and tries again. */
  async invalidate(...memberIds: string[]): Promise<void> {
    if (memberIds.length > 0) await this.redis.del(...memberIds.map(keyOf));
  }
}
