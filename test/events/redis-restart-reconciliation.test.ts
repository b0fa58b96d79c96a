import { POINTS_CONSUMER_GROUP } from '../../subgraphs/benefits/server.js';
import { pointsEarningHandler } from '../../subgraphs/benefits/events/points-consumer.js';
import { ledgerChangeFor } from '../../subgraphs/benefits/domain/ledger-reconciliation.js';
import type { LedgerReconciler } from '../../subgraphs/benefits/events/ledger-reconciler.js';
import { StreamConsumer } from '../../subgraphs/shared/events/stream-consumer.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { describeWithRedisServer, useTestFederationOnOwnRedis } from '../federation-harness.js';
import type { LinkedAccount } from './event-fixtures.js';
import {
  brandModelsOf,
  daysAgo,
  interactionEvent,
  jsonBody,
  ledgerKey,
  linkedAccount,
  localCategory,
  pointsLedger,
  purchaseEvent,
  waitFor,
  waitForLedgerEntries,
  waitForOutboxDrained,
  walletOf,
} from './event-fixtures.js';

/**
 * Redis is a transport, not the source of truth (docs/architecture.md §5, §6). The federation runs on a
 * redis-server of this test's own. Events are published while the points consumer is behind, Redis restarts
 * empty (no persistence) in the middle of the burst, so those events are gone from the stream although the
 * outbox marked them published; the reconciliation sweep must find and republish exactly them, and every
 * event must end up credited once.
 */
const PARTNER = 'pulsefit';
const BATCH = 100;
const describeWithOwnRedis = describeWithRedisServer('redis-restart-reconciliation.test.ts');

describeWithOwnRedis('a Redis restart without persistence, then the reconciliation sweep', () => {
  let lateConsumer: StreamConsumer | null = null;
  // Registered before the federation, so that it runs before the federation stops.
  afterAll(async () => {
    await lateConsumer?.stop();
  });
  const fed = useTestFederationOnOwnRedis({
    members: 20,
    // No periodic run: the test runs the sweep itself. No settle time: everything published is checked.
    reconciliation: { intervalMs: 0, lookbackMs: 600_000, settleMs: 0 },
  });
  let reconciler: LedgerReconciler;
  let account: LinkedAccount;
  let category: string;

  beforeAll(async () => {
    reconciler = fed.federation.benefits.reconciler!;
    account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    category = localCategory(fed, PARTNER);
    await waitForOutboxDrained(fed);
    // A baseline: every seeded event is in the ledger (the sweep, counting only, finds nothing missing).
    await waitFor(
      'the seeded events to be credited',
      async () => (await reconciler.run({ dryRun: true })).brands.every((b) => b.missing === 0),
      { timeoutMs: 30_000 },
    );
  });

  const burst = (count: number, label: number): PartnerEvent[] =>
    Array.from({ length: count }, (_, i) =>
      i % 4 === 3
        ? interactionEvent(account.brandMemberId, daysAgo(1))
        : purchaseEvent(account.brandMemberId, {
            amountMinor: 1_000 + 137 * i + label,
            category,
            occurredAt: daysAgo(10),
          }),
    );

  async function send(events: readonly PartnerEvent[]): Promise<void> {
    const requests = [];
    for (let i = 0; i < events.length; i += BATCH)
      requests.push(fed.ingest(PARTNER, jsonBody(events.slice(i, i + BATCH))));
    for (const { status, body } of await Promise.all(requests)) {
      expect(status).toBe(200);
      expect(body.summary?.rejected).toBe(0);
    }
  }

  const pointsOf = (events: readonly PartnerEvent[]): number =>
    events.reduce((sum, event) => {
      const message = { ...event, partner: PARTNER, memberId: account.memberId } as never;
      return sum + (ledgerChangeFor(message, fed.earningRules)?.points ?? 0);
    }, 0);

  it('credits every event exactly once after the sweep, and the wallet by the expected sum', async () => {
    const before = await walletOf(fed, account.memberId);
    // The consumer falls behind: what the relay publishes now stays unread in Redis.
    await fed.federation.benefits.pointsConsumer.stop();
    const firstHalf = burst(300, 1);
    await send(firstHalf);
    await waitForOutboxDrained(fed);
    const { Event } = brandModelsOf(fed, PARTNER);
    expect(
      await Event.countDocuments({ _id: { $in: firstHalf.map((e) => e.eventId) }, published: true }),
    ).toBe(firstHalf.length);

    await fed.redisServer.stop();
    await fed.redisServer.start();

    const secondHalf = burst(300, 2);
    await send(secondHalf);
    await waitForOutboxDrained(fed, 30_000);
    // A consumer reading again (the group is created anew on the empty Redis) credits only the second half.
    lateConsumer = new StreamConsumer({
      stream: fed.activityStream,
      group: POINTS_CONSUMER_GROUP,
      consumer: 'benefits-after-restart',
      handle: pointsEarningHandler(fed.federation.benefits.wallet, fed.earningRules),
      waitMs: 200,
    });
    lateConsumer.start();
    const all = [...firstHalf, ...secondHalf];
    const earningIds = (events: readonly PartnerEvent[]) =>
      events.filter((e) => e.type !== 'browse').map((e) => e.eventId);
    await waitForLedgerEntries(fed, PARTNER, earningIds(secondHalf), 60_000);
    const lostBefore = await pointsLedger(fed).countDocuments({
      _id: { $in: earningIds(firstHalf).map((id) => ledgerKey(PARTNER, id)) },
    });
    // The loss the review saw: published, marked published, and never credited.
    expect(lostBefore).toBe(0);

    const report = await reconciler.run();
    const brand = report.brands.find((b) => b.partner === PARTNER)!;
    expect(brand).toMatchObject({ missing: firstHalf.length, republished: firstHalf.length, complete: true });
    expect(brand.scanned).toBeGreaterThanOrEqual(all.length);
    for (const other of report.brands.filter((b) => b.partner !== PARTNER)) expect(other.missing).toBe(0);

    await waitForLedgerEntries(fed, PARTNER, earningIds(all), 60_000);
    const entries = await pointsLedger(fed)
      .find({ partner: PARTNER, sourceEventId: { $in: all.map((e) => e.eventId) } })
      .toArray();
    const perEvent = new Map<string, number>();
    for (const entry of entries)
      perEvent.set(entry.sourceEventId, (perEvent.get(entry.sourceEventId) ?? 0) + 1);
    expect(perEvent.size).toBe(all.length);
    expect([...perEvent.values()].every((count) => count === 1)).toBe(true);

    const after = await walletOf(fed, account.memberId);
    const expected = pointsOf(all);
    expect(after.lifetimeEarned - before.lifetimeEarned).toBe(expected);
    expect(after.balance + after.pending - (before.balance + before.pending)).toBe(expected);

    // A second run finds nothing left, and republishing again credits nothing twice.
    expect((await reconciler.run()).brands.every((b) => b.missing === 0)).toBe(true);
    const again = await reconciler.run({ since: new Date(0), dryRun: true });
    expect(again.brands.every((b) => b.missing === 0)).toBe(true);
  });
});
