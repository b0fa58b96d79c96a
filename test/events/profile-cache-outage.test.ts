import { CacheUnavailableError } from '../../subgraphs/shared/cache/fail-open-redis.js';
import { profileCacheKey } from '../../subgraphs/profile/data/profile-cache.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { describeWithRedisServer, useTestFederationOnOwnRedis } from '../federation-harness.js';
import { answeredDataOf } from '../federation/graphql-responses.js';
import { waitFor } from './event-fixtures.js';

/**
 * The profile cache fails open (docs/architecture.md §5: a cache that does not answer is skipped): with Redis stopped,
 * or frozen so that it keeps its connections and answers nothing, profile reads are computed afresh and
 * answered, and the cache reports what it skipped. The federation runs on a redis-server of this test's own.
 * How long a read takes in each case is measured by `scripts/bench-cache-outage.ts`, not here.
 */
const describeWithOwnRedis = describeWithRedisServer('profile-cache-outage.test.ts');

const PROFILE = `{ me { id profile { compositeScore tier { code } } benefits { tier { code } } } }`;

interface ProfileRead {
  id: string;
  profile: { compositeScore: number; tier: { code: string } };
  benefits: { tier: { code: string } };
}

describeWithOwnRedis('profile reads during a Redis outage', () => {
  // A hung Redis costs one timeout per cool-down: short here, as in production, so a frozen read stays
  // well within the gateway's patience.
  const fed = useTestFederationOnOwnRedis({ members: 20, cacheTimeoutMs: 200 });
  let token: string;
  let withRedisUp: ProfileRead;

  async function readProfile(): Promise<ProfileRead> {
    const { me } = answeredDataOf<{ me: ProfileRead }>(await fed.query(PROFILE, { token }));
    expect(me.benefits.tier.code).toBe(me.profile.tier.code);
    return me;
  }

  const cachedEntry = () => fed.cache.get(profileCacheKey(DEMO_MEMBER_ID));
  /** Cache failures reported from `from` on. */
  const reportedSince = (from: number): string[] => fed.cacheErrors.slice(from).map((e) => e.message);

  beforeAll(async () => {
    token = await fed.token({ role: 'member', memberId: DEMO_MEMBER_ID });
    withRedisUp = await readProfile();
    await waitFor('the profile to be cached', async () => (await readProfile(), cachedEntry()));
  });

  it('answers from a fresh computation while Redis is stopped, skipping the cache at once', async () => {
    await fed.redisServer.stop();
    // A read racing the crash may still wait out the timeout; from the moment the cache has seen the
    // connection go, none does.
    await waitFor('the cache to see Redis gone', async () => {
      const seen = fed.cacheErrors.length;
      await fed.cache.get('probe');
      return fed.cacheErrors.length > seen;
    });
    const before = fed.cacheErrors.length;

    for (let i = 0; i < 5; i += 1) expect(await readProfile()).toEqual(withRedisUp);

    const reported = reportedSince(before);
    expect(reported.filter((m) => m.startsWith('cache get skipped: '))).toHaveLength(5);
    expect(reported.filter((m) => m.startsWith('cache set skipped: '))).toHaveLength(5);
    for (const error of fed.cacheErrors.slice(before)) expect(error).toBeInstanceOf(CacheUnavailableError);
    // Rejected without being sent, not after waiting out the timeout: the reads did not wait for Redis.
    for (const message of reported) expect(message).not.toMatch(/timed out/);
  });

  it('uses the cache again once Redis is back', async () => {
    await fed.redisServer.start(); // empty: a restart without persistence
    await waitFor('the profile to be cached again', async () => {
      await readProfile();
      return cachedEntry();
    });
    expect(await readProfile()).toEqual(withRedisUp);
  });

  it('answers while Redis hangs: one read waits out the timeout, the next ones skip the cache', async () => {
    const before = fed.cacheErrors.length;
    fed.redisServer.freeze();

    for (let i = 0; i < 3; i += 1) expect(await readProfile()).toEqual(withRedisUp);

    const reported = reportedSince(before);
    expect(reported[0]).toBe('cache get skipped: Command timed out');
    expect(reported.slice(1)).toContainEqual(
      expect.stringMatching(/^cache get skipped: Redis timed out less than/),
    );

    fed.redisServer.resume();
    await waitFor('the cache to answer again', async () => {
      await readProfile();
      return cachedEntry();
    });
  });
});
