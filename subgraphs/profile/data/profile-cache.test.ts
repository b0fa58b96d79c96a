import { MemoryKeyValueCache } from '../../shared/cache/memory-key-value-cache.js';
import type { CrossBrandProfile } from '../../shared/domain/cross-brand-profile.js';
import { PROFILE_TTL_SECONDS, ProfileCache, profileCacheKey } from './profile-cache.js';

const profile = { tier: { code: 'GOLD' } } as unknown as CrossBrandProfile;

describe('ProfileCache', () => {
  let cache: MemoryKeyValueCache;
  let errors: unknown[];
  let profiles: ProfileCache;

  beforeEach(() => {
    cache = new MemoryKeyValueCache();
    errors = [];
    profiles = new ProfileCache(cache, (error) => errors.push(error));
  });

  it('answers a profile only for the fingerprint it was computed for', async () => {
    await profiles.set('M1', 'inputs-a', profile);
    expect(await profiles.get('M1', 'inputs-a')).toEqual(profile);
    expect(await profiles.get('M1', 'inputs-b')).toBeNull();
    expect(await profiles.get('M2', 'inputs-a')).toBeNull();
  });

  it('keeps an entry for ten minutes under profile:<memberId>', async () => {
    const set = jest.spyOn(cache, 'set');
    await profiles.set('M1', 'inputs-a', profile);
    expect(PROFILE_TTL_SECONDS).toBe(600);
    expect(set).toHaveBeenCalledWith('profile:M1', expect.any(String), { ttl: PROFILE_TTL_SECONDS });
  });

  it('treats an entry it cannot read as a miss, and reports it', async () => {
    await cache.set(profileCacheKey('M1'), 'not json');
    expect(await profiles.get('M1', 'inputs-a')).toBeNull();
    expect(errors).toEqual([expect.any(SyntaxError)]);
  });

  it("drops the given members' entries and no others", async () => {
    await Promise.all(['M1', 'M2', 'M3'].map((id) => profiles.set(id, 'inputs-a', profile)));
    await profiles.invalidate('M1', 'M3');
    await profiles.invalidate();
    expect(await profiles.get('M1', 'inputs-a')).toBeNull();
    expect(await profiles.get('M2', 'inputs-a')).toEqual(profile);
    expect(await profiles.get('M3', 'inputs-a')).toBeNull();
  });
});
