import type { CrossBrandProfile } from '../../shared/domain/cross-brand-profile.js';
import type { KeyValueCache } from '../../shared/cache/key-value-cache.js';
import { MemberResponseGenerations } from '../../shared/cache/member-response-generations.js';

export const PROFILE_TTL_SECONDS = 600;
export const profileCacheKey = (memberId: string): string => `profile:${memberId}`;

/**
 * Computed cross-brand profiles in the cache. An entry is used only for exactly the inputs it was computed
 * from (the fingerprint covers the consented behaviours, the stored tier and the population model: see
 * `CrossBrandProfiles`), so a cached
 * profile is never stale and always agrees with the benefits subgraph's tier. A member's new event or consent
 * change deletes the entry at once (it can no longer be hit), and it expires after ten minutes in any case.
 * The cache fails open, so Redis trouble never fails a query: the profile is then computed afresh, and an
 * invalidation that did not reach Redis leaves an entry the fingerprint already refuses.
 */
export class ProfileCache {
  private readonly generations: MemberResponseGenerations;

  constructor(
    private readonly cache: KeyValueCache,
    /** Reports entries that cannot be read (the cache reports its own failures). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.generations = new MemberResponseGenerations(cache);
  }

  async get(memberId: string, fingerprint: string): Promise<CrossBrandProfile | null> {
    const raw = await this.cache.get(profileCacheKey(memberId));
    if (raw === undefined) return null;
    try {
      const entry = JSON.parse(raw) as { fingerprint: string; profile: CrossBrandProfile };
      return entry.fingerprint === fingerprint ? entry.profile : null;
    } catch (error) {
      this.onError(error);
      return null;
    }
  }

  async set(memberId: string, fingerprint: string, profile: CrossBrandProfile): Promise<void> {
    const entry = JSON.stringify({ fingerprint, profile });
    await this.cache.set(profileCacheKey(memberId), entry, { ttl: PROFILE_TTL_SECONDS });
  }

  /** Also advances the members' response generations, so the gateway serves none of their cached answers. */
  async invalidate(...memberIds: string[]): Promise<void> {
    await Promise.all([
      this.cache.deleteMany(memberIds.map(profileCacheKey)),
      this.generations.advance(...memberIds),
    ]);
  }
}
