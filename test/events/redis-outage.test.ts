import type { EventDocument } from '../../subgraphs/brand/data/brand-models.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { describeWithRedisServer, useTestFederationOnOwnRedis } from '../federation-harness.js';
import type { LinkedAccount, WalletView } from './event-fixtures.js';
import {
  brandModelsOf,
  browseEvent,
  daysAgo,
  interactionEvent,
  jsonBody,
  ledgerEntriesOf,
  linkedAccount,
  localCategory,
  newBrandAccount,
  purchaseEvent,
  referralEvent,
  refundEvent,
  waitFor,
  waitForLedgerEntries,
  waitForMemberCredited,
  waitForOutboxDrained,
  walletOf,
} from './event-fixtures.js';
import { profileCacheKey } from '../../subgraphs/profile/data/profile-cache.js';

/**
 * Redis down → events wait in the outbox; nothing is lost (docs/architecture.md §6). The federation runs on a
 * redis-server of this test's own, which it stops and starts again empty (no persistence), as after a crash.
 */
const PARTNER = 'pulsefit';
const describeWithOwnRedis = describeWithRedisServer('redis-outage.test.ts');

describeWithOwnRedis('a Redis outage loses no event and credits none twice', () => {
  const fed = useTestFederationOnOwnRedis({ members: 20 });
  let account: LinkedAccount;
  let category: string;

  beforeAll(async () => {
    account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    category = localCategory(fed, PARTNER);
    await waitForOutboxDrained(fed);
    await waitForMemberCredited(fed, account.memberId);
  });

  it('accepts events while Redis is down, keeps them in the outbox, and credits each once after it returns', async () => {
    const before: WalletView = await walletOf(fed, account.memberId);
    const oldPurchase = purchaseEvent(account.brandMemberId, {
      amountMinor: 15_050,
      category,
      occurredAt: daysAgo(10),
    });
    const recentPurchase = purchaseEvent(account.brandMemberId, {
      amountMinor: 9_999,
      category,
      occurredAt: daysAgo(2),
    });
    const events = [
      oldPurchase,
      interactionEvent(account.brandMemberId),
      referralEvent(account.brandMemberId, await newBrandAccount(fed, PARTNER)),
      recentPurchase,
      refundEvent(oldPurchase, 5_025, daysAgo(9)),
      browseEvent(account.brandMemberId, category),
    ];
    // 150 + 5 + 50 + 99 (pending: two days old) - 50 (150.50 → 100.25 yuan kept) + 0 for browsing.
    const expectedChange = 254;
    const expectedEarned = 150 + 5 + 50 + 99;
    const earning = events.filter((e) => e.type !== 'browse').map((e) => e.eventId);

    await fed.redisServer.stop();
    const errorsBefore = fed.workerErrors.length;

    const { status, body } = await fed.ingest(PARTNER, jsonBody(events));
    expect(status).toBe(200);
    expect(body.summary).toEqual({ accepted: events.length, duplicate: 0, conflict: 0, rejected: 0 });

    // The relay tried, failed, and left the events where they were.
    await waitFor(
      'the relay to report Redis unreachable',
      async () => fed.workerErrors.length > errorsBefore,
    );
    const { Event } = brandModelsOf(fed, PARTNER);
    const stored = await Event.find({ _id: { $in: events.map((e) => e.eventId) } }).lean<EventDocument[]>();
    expect(stored).toHaveLength(events.length);
    for (const doc of stored) expect(doc).toMatchObject({ state: 'applied', published: false });
    expect(await ledgerEntriesOf(fed, PARTNER, oldPurchase.eventId)).toEqual([]);

    await fed.redisServer.start();

    await waitForLedgerEntries(fed, PARTNER, earning, 30_000);
    await waitForOutboxDrained(fed);
    await waitForMemberCredited(fed, account.memberId);
    for (const eventId of earning) expect(await ledgerEntriesOf(fed, PARTNER, eventId)).toHaveLength(1);
    expect(await ledgerEntriesOf(fed, PARTNER, events[5].eventId)).toEqual([]);
    const after = await walletOf(fed, account.memberId);
    expect(after.balance + after.pending - (before.balance + before.pending)).toBe(expectedChange);
    expect(after.lifetimeEarned - before.lifetimeEarned).toBe(expectedEarned);
    // The recent purchase is still in its 7 pending days.
    expect(after.pending - before.pending).toBe(99);
  });

  it('keeps both consumer groups working after Redis came back empty', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const cacheKey = profileCacheKey(account.memberId);
    // The cache fails open: write until the write sticks, i.e. until the cache has reconnected.
    await waitFor('the cache to be back', async () => {
      await fed.cache.set(cacheKey, 'cached before the event', { ttl: 600 });
      return (await fed.cache.get(cacheKey)) === 'cached before the event';
    });
    const event = interactionEvent(account.brandMemberId);

    expect((await fed.ingest(PARTNER, jsonBody([event]))).body.summary?.accepted).toBe(1);

    await waitForLedgerEntries(fed, PARTNER, [event.eventId], 30_000);
    await waitFor(
      'the profile consumer to drop the cached profile',
      async () => (await fed.cache.get(cacheKey)) === undefined,
      {
        timeoutMs: 30_000,
      },
    );
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(5);
  });

  it('stores and later credits events sent during a second outage', async () => {
    const wallet = await walletOf(fed, account.memberId);
    await fed.redisServer.stop();
    const event = referralEvent(account.brandMemberId, await newBrandAccount(fed, PARTNER));
    const { status, body } = await fed.ingest(PARTNER, jsonBody([event]));
    expect(status).toBe(200);
    expect(body.results).toEqual([{ index: 0, eventId: event.eventId, status: 'accepted' }]);
    // A partner retrying during the outage gets a duplicate, not a second event.
    expect((await fed.ingest(PARTNER, jsonBody([event]))).body.summary?.duplicate).toBe(1);

    await fed.redisServer.start();

    await waitForLedgerEntries(fed, PARTNER, [event.eventId], 30_000);
    await waitForOutboxDrained(fed);
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(50);
  });
});
