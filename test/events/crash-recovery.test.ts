import type { EventDocument, OrderDocument } from '../../subgraphs/brand/data/brand-models.js';
import { BrandEventIngestor } from '../../subgraphs/brand/ingest/brand-event-ingestor.js';
import { GuardedEventWriter } from '../../subgraphs/brand/ingest/guarded-event-writer.js';
import type { IngestObserver, WriteStep } from '../../subgraphs/brand/ingest/ingest-observer.js';
import { dayKey } from '../../subgraphs/shared/domain/behaviour.js';
import type { DailyActivity } from '../../subgraphs/shared/domain/behaviour.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import { useTestFederation } from '../federation-harness.js';
import { computedBeforeAll } from '../computed-before-all.js';
import type { LinkedAccount, PurchaseEvent } from './event-fixtures.js';
import {
  accountSummary,
  brandModelsOf,
  daysAgo,
  holdFirstWrite,
  jsonBody,
  ledgerEntriesOf,
  localCategory,
  newBrandAccount,
  purchaseEvent,
  referralEvent,
  refundEvent,
  uniqueId,
  waitFor,
  waitForLedgerEntries,
} from './event-fixtures.js';

/**
 * The brand ingests without transactions in five guarded steps (GuardedEventWriter). A process that dies
 * between any two of them leaves work that the next delivery of the same event, or the recovery sweep,
 * finishes: the summary counts the event once, the order is right, and the points are credited once.
 */
const PARTNER = 'pulsefit';
/** A crash right after each of the first four steps (the fifth belongs to the sweep itself). */
const CRASH_POINTS: WriteStep[] = ['claim', 'order', 'summary', 'applied'];
type Finisher = 'the partner sends it again' | 'the recovery sweep runs';
const FINISHERS: Finisher[] = ['the partner sends it again', 'the recovery sweep runs'];

class SimulatedCrash extends Error {}

const dayOf = (days: Record<string, DailyActivity>, at: string): DailyActivity =>
  days[dayKey(new Date(at))] ?? {};

describe('ingest crash recovery', () => {
  const fed = useTestFederation({ members: 20 });
  const setting = computedBeforeAll(() => {
    const partner = fed.registry.byKey.get(PARTNER)!;
    const category = localCategory(fed, PARTNER);
    return { models: brandModelsOf(fed, PARTNER), partner, category, joint: partner.categoryMap[category] };
  });

  /** A purchase of `amountMinor` ten days ago in the partner's category, by `account`. */
  const purchaseTenDaysAgo = (account: LinkedAccount, amountMinor: number): PurchaseEvent =>
    purchaseEvent(account.brandMemberId, {
      amountMinor,
      category: setting.category,
      occurredAt: daysAgo(10),
    });

  /** A linked account of its own for each test, so that no test sees another's leftovers. */
  async function freshAccount(): Promise<LinkedAccount> {
    const account = { partner: PARTNER, brandMemberId: uniqueId('PU-crash'), memberId: uniqueId('M-crash') };
    await fed.stores.brands.get(PARTNER)!.accounts.upsertAccounts([
      {
        brandMemberId: account.brandMemberId,
        memberId: account.memberId,
        displayName: 'Crash test',
        joinedAt: new Date(),
      },
    ]);
    return account;
  }

  /** An ingestor on the brand's own models whose process dies right after `point` while writing `eventId`. */
  function crashingIngestor(point: WriteStep, eventId: string): BrandEventIngestor {
    const relay = fed.federation.brands.get(PARTNER)!.relay;
    const observer: IngestObserver = {
      afterStep: (step, eventIds) => {
        if (step === point && eventIds.includes(eventId))
          throw new SimulatedCrash(`process died after the ${point} step of ${eventId}`);
        if (step === 'applied') relay.kick();
      },
    };
    return new BrandEventIngestor(
      setting.models,
      setting.partner,
      new GuardedEventWriter(setting.models, setting.partner, { observer }),
    );
  }

  async function crash(point: WriteStep, event: PartnerEvent): Promise<void> {
    await expect(crashingIngestor(point, event.eventId).ingest([event])).rejects.toThrow(SimulatedCrash);
    // The claim is the first write: whatever happened next, the event is on record.
    const stored = await setting.models.Event.findById(event.eventId).lean<EventDocument>();
    expect(stored?.state).toBe(point === 'applied' ? 'applied' : 'received');
  }

  async function finish(how: Finisher, event: PartnerEvent): Promise<void> {
    if (how === 'the partner sends it again') {
      const { status, body } = await fed.ingest(PARTNER, jsonBody([event]));
      expect(status).toBe(200);
      expect(body.results).toEqual([{ index: 0, eventId: event.eventId, status: 'duplicate' }]);
    } else {
      await fed.federation.brands.get(PARTNER)!.recovery.recover(0);
    }
  }

  /** The event ends applied and published, and its points are in the ledger exactly once. */
  /**
   * The event's guard stays on the account (`stillGuarded`: unless a sweep with no grace period, as one of the
   * finishers, has already cleared it) until the recovery sweep finds the event applied for longer than the
   * grace period; a sweep then clears it.
   */
  async function expectGuardUntilSweep(
    account: LinkedAccount,
    eventId: string,
    after: { pendingEventIds: string[] },
    stillGuarded: boolean,
  ): Promise<void> {
    if (stillGuarded) expect(after.pendingEventIds).toContain(eventId);
    await fed.federation.brands.get(PARTNER)!.recovery.recover(0);
    expect((await accountSummary(fed, PARTNER, account.brandMemberId)).pendingEventIds).toEqual([]);
  }

  async function expectAppliedAndCredited(
    account: LinkedAccount,
    event: PartnerEvent,
    points: number,
  ): Promise<void> {
    const stored = await setting.models.Event.findById(event.eventId).lean<EventDocument>();
    expect(stored).toMatchObject({
      state: 'applied',
      message: expect.objectContaining({ eventId: event.eventId }),
    });
    await waitFor('the relay to publish the event', async () => {
      const doc = await setting.models.Event.findById(event.eventId, { published: 1 }).lean<EventDocument>();
      return doc?.published === true;
    });
    await waitForLedgerEntries(fed, PARTNER, [event.eventId]);
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toEqual([
      expect.objectContaining({ memberId: account.memberId, points }),
    ]);
  }

  const order = (orderId: string) => setting.models.Order.findById(orderId).lean<OrderDocument>();

  describe.each(CRASH_POINTS)('a crash after the %s step', (point) => {
    it.each(FINISHERS)('of a purchase is completed once when %s', async (how) => {
      const account = await freshAccount();
      const event = purchaseTenDaysAgo(account, 15_050);
      const before = await accountSummary(fed, PARTNER, account.brandMemberId);

      await crash(point, event);
      await finish(how, event);

      const after = await accountSummary(fed, PARTNER, account.brandMemberId);
      const [was, is] = [dayOf(before.days, event.occurredAt), dayOf(after.days, event.occurredAt)];
      expect((is.purchaseCount ?? 0) - (was.purchaseCount ?? 0)).toBe(1);
      expect((is.spendMinor ?? 0) - (was.spendMinor ?? 0)).toBe(15_050);
      const bucket = setting.joint as keyof NonNullable<DailyActivity['categories']>;
      expect((is.categories?.[bucket]?.spendMinor ?? 0) - (was.categories?.[bucket]?.spendMinor ?? 0)).toBe(
        15_050,
      );
      expect(after.lifetimeSpendMinor - before.lifetimeSpendMinor).toBe(15_050);
      await expectGuardUntilSweep(account, event.eventId, after, how === 'the partner sends it again');
      expect(await order(event.orderId)).toMatchObject({
        amountMinor: 15_050,
        remainingMinor: 15_050,
        refundedMinor: 0,
        purchaseEventId: event.eventId,
        refundEventIds: [],
      });
      await expectAppliedAndCredited(account, event, 150);

      // Yet another delivery changes nothing.
      expect((await fed.ingest(PARTNER, jsonBody([event]))).body.summary?.duplicate).toBe(1);
      expect(await accountSummary(fed, PARTNER, account.brandMemberId)).toEqual({
        ...after,
        pendingEventIds: [],
      });
    });

    it.each(FINISHERS)('of a partial refund is completed once when %s', async (how) => {
      const account = await freshAccount();
      const purchase: PurchaseEvent = purchaseTenDaysAgo(account, 15_050);
      expect((await fed.ingest(PARTNER, jsonBody([purchase]))).body.summary?.accepted).toBe(1);
      const refund = refundEvent(purchase, 5_025, daysAgo(9));
      const before = await accountSummary(fed, PARTNER, account.brandMemberId);

      await crash(point, refund);
      await finish(how, refund);

      const after = await accountSummary(fed, PARTNER, account.brandMemberId);
      // The refund comes off the purchase's day; the purchase still counts as one purchase.
      const [was, is] = [dayOf(before.days, purchase.occurredAt), dayOf(after.days, purchase.occurredAt)];
      expect((is.spendMinor ?? 0) - (was.spendMinor ?? 0)).toBe(-5_025);
      expect(is.purchaseCount).toBe(was.purchaseCount);
      expect(after.lifetimeSpendMinor - before.lifetimeSpendMinor).toBe(-5_025);
      await expectGuardUntilSweep(account, refund.eventId, after, how === 'the partner sends it again');
      expect(await order(purchase.orderId)).toMatchObject({
        amountMinor: 15_050,
        remainingMinor: 10_025,
        refundedMinor: 5_025,
        refundEventIds: [refund.eventId],
      });
      // 150.50 yuan earned 150 points; 100.25 kept keep 100: the refund reverses 50.
      await expectAppliedAndCredited(account, refund, -50);
      await expectAppliedAndCredited(account, purchase, 150);
    });
  });

  it.each(FINISHERS)(
    'finishes a referral that crashed after its referral claim once when %s (its own claim is no obstacle)',
    async (how) => {
      const account = await freshAccount();
      const friend = await newBrandAccount(fed, PARTNER);
      const event = referralEvent(account.brandMemberId, friend);

      await crash('order', event);
      await finish(how, event);

      expect(await setting.models.Referral.findById(friend).lean()).toMatchObject({ eventId: event.eventId });
      const summary = await accountSummary(fed, PARTNER, account.brandMemberId);
      expect(dayOf(summary.days, event.occurredAt).referralCount).toBe(1);
      await expectAppliedAndCredited(account, event, 50);
    },
  );

  it('leaves an event crashed a moment ago to its own delivery until the grace period has passed', async () => {
    const account = await freshAccount();
    const event = purchaseTenDaysAgo(account, 1_000);
    await crash('claim', event);
    const recovery = fed.federation.brands.get(PARTNER)!.recovery;
    expect(await recovery.recover()).toBe(0);
    expect((await setting.models.Event.findById(event.eventId).lean<EventDocument>())?.state).toBe(
      'received',
    );
    expect(await recovery.recover(0)).toBe(1);
    await expectAppliedAndCredited(account, event, 10);
  });

  it('counts an event once when two deliveries complete the same crashed event at the same time', async () => {
    const other = await freshAccount();
    const event = purchaseTenDaysAgo(other, 15_050);
    const before = await accountSummary(fed, PARTNER, other.brandMemberId);
    await crash('claim', event);

    // Delivery A reads the event as `received` and is then held just before its summary step (3)...
    const hold = holdFirstWrite(setting.models, 'Account');
    const deliveryA = new BrandEventIngestor(hold.models, setting.partner).ingest([event]);
    await hold.reached;

    // ...while delivery B (the partner's retry) completes all of steps 2 to 5.
    const { body } = await fed.ingest(PARTNER, jsonBody([event]));
    expect(body.results).toEqual([{ index: 0, eventId: event.eventId, status: 'duplicate' }]);
    hold.release();
    expect((await deliveryA)[0].status).toBe('duplicate');

    const after = await accountSummary(fed, PARTNER, other.brandMemberId);
    expect(after.lifetimeSpendMinor - before.lifetimeSpendMinor).toBe(15_050);
    const [was, is] = [dayOf(before.days, event.occurredAt), dayOf(after.days, event.occurredAt)];
    expect((is.purchaseCount ?? 0) - (was.purchaseCount ?? 0)).toBe(1);
    expect((is.spendMinor ?? 0) - (was.spendMinor ?? 0)).toBe(15_050);
    await expectGuardUntilSweep(other, event.eventId, after, true);
  });
});
