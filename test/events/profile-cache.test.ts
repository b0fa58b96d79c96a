import { profileCacheKey } from '../../subgraphs/profile/data/profile-cache.js';
import { tierForScore } from '../../subgraphs/shared/domain/tiers.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { answeredDataOf } from '../federation/graphql-responses.js';
import type { LinkedAccount } from './event-fixtures.js';
import {
  browseEvent,
  daysAgo,
  jsonBody,
  linkedAccount,
  localCategory,
  purchaseEvent,
  waitFor,
  waitForOutboxDrained,
} from './event-fixtures.js';

/**
 * The profile subgraph caches each member's computed cross-brand profile (`profile:<memberId>`); its stream
 * consumer drops the entry when an event of that member goes by, and the next dashboard is computed from the
 * new behaviour, with the same tier the benefits subgraph derives.
 */
const PARTNER = 'pulsefit';

const DASHBOARD = `{ me {
  id
  pulsefit { recentOrders(first: 1) { orderId amount { amountMinor } } }
  profile { compositeScore tier { code } shareOfWallet { partner share } brandsActive }
  benefits { tier { code } }
} }`;

interface Dashboard {
  id: string;
  pulsefit: { recentOrders: { orderId: string; amount: { amountMinor: number } }[] };
  profile: {
    compositeScore: number;
    tier: { code: string };
    shareOfWallet: { partner: string; share: number }[];
    brandsActive: string[];
  };
  benefits: { tier: { code: string } };
}

describe('profile cache invalidation by the event stream', () => {
  let fed: TestFederation;
  let account: LinkedAccount;
  let token: string;

  async function dashboard(): Promise<Dashboard> {
    const { me } = answeredDataOf<{ me: Dashboard }>(await fed.query(DASHBOARD, { token }));
    expect(me.id).toBe(account.memberId);
    // Both subgraphs derive the tier from the same inputs with the same functions.
    expect(me.benefits.tier.code).toBe(me.profile.tier.code);
    expect(me.profile.tier.code).toBe(tierForScore(me.profile.compositeScore).code);
    return me;
  }

  const cached = async (): Promise<string | undefined> => fed.cache.get(profileCacheKey(account.memberId));

  /** Puts an entry in the cache, until it is there: a write the cache dropped would make no test. */
  async function plant(memberId: string, value: string): Promise<void> {
    await waitFor(`the cache to keep ${memberId}`, async () => {
      await fed.cache.set(profileCacheKey(memberId), value, { ttl: 600 });
      return (await fed.cache.get(profileCacheKey(memberId))) === value;
    });
  }
  const shareOf = (me: Dashboard, partner: string): number =>
    me.profile.shareOfWallet.find((s) => s.partner === partner)?.share ?? 0;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 20 });
    account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    token = await fed.token({ role: 'member', memberId: account.memberId });
    // Let the seeded events go by first: once an entry put there now is dropped by an event of the member
    // sent now, the profile consumer has read everything before it.
    await waitForOutboxDrained(fed);
    await plant(account.memberId, 'stale');
    await fed.ingest(PARTNER, jsonBody([browseEvent(account.brandMemberId, localCategory(fed, PARTNER))]));
    await waitFor('the profile consumer to catch up', async () => (await cached()) === undefined);
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('caches the profile a dashboard computed', async () => {
    await dashboard();
    const entry = await waitFor('the cache entry', cached);
    expect(JSON.parse(entry)).toEqual({
      fingerprint: expect.any(String),
      profile: expect.objectContaining({ tier: expect.any(Object) }),
    });
  });

  it("drops the member's cached profile once an event of the member is consumed", async () => {
    const before = await dashboard();
    const entryBefore = await waitFor('the cache entry', cached);

    const purchase = purchaseEvent(account.brandMemberId, {
      amountMinor: 5_000_000,
      category: localCategory(fed, PARTNER),
      occurredAt: daysAgo(0.5),
    });
    const { body } = await fed.ingest(PARTNER, jsonBody([purchase]));
    expect(body.summary?.accepted).toBe(1);
    await waitFor('the cached profile to be dropped', async () => (await cached()) === undefined);

    // The next dashboard reflects the purchase, and is cached afresh for the new inputs.
    const after = await dashboard();
    expect(after.pulsefit.recentOrders).toEqual([
      { orderId: purchase.orderId, amount: { amountMinor: 5_000_000 } },
    ]);
    expect(shareOf(after, PARTNER)).toBeGreaterThan(shareOf(before, PARTNER));
    expect(after.profile.compositeScore).toBeGreaterThanOrEqual(before.profile.compositeScore);
    const entryAfter = await waitFor('the new cache entry', cached);
    expect(JSON.parse(entryAfter).fingerprint).not.toBe(JSON.parse(entryBefore).fingerprint);
  });

  it('leaves the cached profiles of other members alone', async () => {
    const stranger = 'M-not-this-member';
    await plant(stranger, 'kept');
    await plant(account.memberId, 'marker');
    await fed.ingest(PARTNER, jsonBody([browseEvent(account.brandMemberId, localCategory(fed, PARTNER))]));
    await waitFor('the member entry to be dropped', async () => (await cached()) === undefined);
    expect(await fed.cache.get(profileCacheKey(stranger))).toBe('kept');
    expect(fed.workerErrors).toEqual([]);
    expect(fed.cacheErrors).toEqual([]);
  });
});
