import { createProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import { CAMPAIGN_CONSUMER_GROUP } from '../../subgraphs/benefits/server.js';
import type { LinkedAccount } from '../events/event-fixtures.js';
import {
  jsonBody,
  linkedAccount,
  localCategory,
  pointsLedger,
  purchaseEvent,
  uniqueId,
  waitFor,
  waitForConsumerCaughtUp,
  waitForOutboxDrained,
} from '../events/event-fixtures.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/**
 * Paid membership end to end through the gateway (issue 15): prices by score, a subscription at the right
 * price activates the plan and its benefits, a wrong price is rejected with its reason, and lapse, grace,
 * renewal, cancellation and refund (with the plan's multiplier points taken back) behave as described.
 * The plan is the registry's "joint-plus": CNY 299.00 a year, CNY 99.00 from a composite score of 80, sold by
 * mindspark, with MS-PRIORITY and IW-SIGNED-ED and ×1.5 on purchases everywhere, 7 grace days, 14 cooling-off.
 */
const SELLER = 'mindspark';
const PLAN = 'joint-plus';
const HIGH_PRICE = 29_900;
const LOW_PRICE = 9_900;
const DAY_MS = 86_400_000;

const PLANS = `{ me { availablePlans { plan { id name period soldBy benefits { id } pointsMultiplier } price currency reason } } }`;
const MEMBERSHIP = `{ me { membership { plan { id } status currentPeriodEnd autoRenew priceNext
  history { change at planId partner amountPaid periodStart periodEnd reason } } } }`;
const BUNDLE = `{ me { benefits { items { benefit { id } reason } } } }`;
const CANCEL = `mutation { cancelMembershipRenewal { status autoRenew priceNext history { change } } }`;

interface AvailablePlan {
  plan: { id: string; name: string; benefits: { id: string }[] };
  price: number;
  reason: string;
}
interface Membership {
  plan: { id: string } | null;
  status: string;
  currentPeriodEnd: string | null;
  autoRenew: boolean;
  priceNext: number | null;
  history: { change: string; amountPaid: number | null; reason: string; periodStart: string | null }[];
}

interface MembershipFees {
  collectedMinor: number;
  shareMinor: number;
  netOwedToPartnerMinor: number;
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function subscription(
  account: LinkedAccount,
  fields: { action?: 'pay' | 'refund'; amountMinor: number; periodStart: string; occurredAt?: string },
): PartnerEvent {
  return {
    eventId: uniqueId('subscription'),
    type: 'subscription',
    brandMemberId: account.brandMemberId,
    occurredAt: fields.occurredAt ?? fields.periodStart,
    action: fields.action ?? 'pay',
    planId: PLAN,
    amountMinor: fields.amountMinor,
    currency: 'CNY',
    periodStart: fields.periodStart,
  };
}

describe('paid membership', () => {
  let fed: TestFederation;
  let high: LinkedAccount & { token: string; plan: AvailablePlan };
  let low: LinkedAccount & { token: string; plan: AvailablePlan };
  /** Members a test subscribed: the last test needs one who holds no plan. */
  const subscribers = new Set<string>();

  beforeAll(async () => {
    fed = await startTestFederation({
      members: 40,
      // No periodic sweep: the last test runs it. No settle time: everything published is checked.
      reconciliation: { intervalMs: 0, lookbackMs: 600_000, settleMs: 0 },
    });
    await waitForOutboxDrained(fed);
    await waitForConsumerCaughtUp(fed, CAMPAIGN_CONSUMER_GROUP);
    // Members of the seller at either price: reading their plans also records the score the price is checked on.
    const seen = new Set<string>();
    for (let skip = 0; skip < 40 && !(high && low); skip++) {
      const account = await linkedAccount(fed, SELLER, { skip }).catch(() => null);
      if (!account || seen.has(account.memberId)) continue;
      seen.add(account.memberId);
      const token = await fed.token({ role: 'member', memberId: account.memberId });
      const response = await fed.query(PLANS, { token });
      expect(errorCodes(response.body)).toEqual([]);
      const plan = dataOf<{ me: { availablePlans: AvailablePlan[] } }>(response.body).me.availablePlans.find(
        (p) => p.plan.id === PLAN,
      )!;
      if (plan.price === LOW_PRICE && !high) high = { ...account, token, plan };
      if (plan.price === HIGH_PRICE && !low) low = { ...account, token, plan };
    }
    if (!high || !low) throw new Error('the seeded members of mindspark do not span both price bands');
  }, 120_000);

  afterAll(async () => {
    await fed?.stop();
  });

  /** A linked account of a member no test has subscribed yet. */
  async function accountOfAnother(partner: string): Promise<LinkedAccount> {
    const taken = new Set([high.memberId, low.memberId, ...subscribers]);
    for (let skip = 0; ; skip++) {
      const account = await linkedAccount(fed, partner, { skip });
      if (!taken.has(account.memberId)) return account;
    }
  }
  const membershipOf = async (token: string): Promise<Membership | null> => {
    const response = await fed.query(MEMBERSHIP, { token });
    expect(errorCodes(response.body)).toEqual([]);
    return dataOf<{ me: { membership: Membership | null } }>(response.body).me.membership;
  };
  /** Ingests the events (all accepted by the brand) and waits until the member's history has `entries`. */
  async function ingestAndWait(token: string, events: PartnerEvent[], entries: number): Promise<Membership> {
    const ingested = await fed.ingest(SELLER, jsonBody(events));
    expect(ingested.body.summary).toMatchObject({ accepted: events.length });
    return waitFor(
      `${entries} membership history entries`,
      async () => {
        const membership = await membershipOf(token);
        return membership && membership.history.length >= entries ? membership : null;
      },
      { timeoutMs: 20_000 },
    );
  }
  const bundleOf = async (token: string) =>
    dataOf<{ me: { benefits: { items: { benefit: { id: string }; reason: string }[] } } }>(
      (await fed.query(BUNDLE, { token })).body,
    ).me.benefits.items;

  it('shows a high-score and a low-score member different prices, each with the reason', () => {
    expect(high.plan).toMatchObject({ price: LOW_PRICE, plan: { name: 'Joint Plus' } });
    expect(high.plan.reason).toMatch(
      /^Joint Plus costs CNY 99\.00 a year: your composite score [\d.]+ reaches 80\.$/,
    );
    expect(low.plan.price).toBe(HIGH_PRICE);
    expect(low.plan.reason).toMatch(/costs CNY 299\.00 a year: .*; from a score of 80 it is CNY 99\.00\.$/);
    expect(high.plan.plan.benefits.map((b) => b.id)).toEqual(['MS-PRIORITY', 'IW-SIGNED-ED']);
  });

  it('rejects a subscription at the wrong price, with the reason, and lapses a plan after its grace', async () => {
    expect(await membershipOf(low.token)).toBeNull();
    const wrong = subscription(low, { amountMinor: LOW_PRICE, periodStart: ago(60_000) });
    const rejected = await ingestAndWait(low.token, [wrong], 1);
    expect(rejected).toMatchObject({ plan: null, status: 'NONE', autoRenew: false, priceNext: null });
    expect(rejected.history[0]).toMatchObject({ change: 'REJECTED', amountPaid: LOW_PRICE });
    expect(rejected.history[0].reason).toContain(
      `amountMinor ${LOW_PRICE} is not the member's price of ${HIGH_PRICE}`,
    );

    // A year bought 380 days ago: over, and past its 7 grace days.
    const old = subscription(low, { amountMinor: HIGH_PRICE, periodStart: ago(380 * DAY_MS) });
    const lapsed = await ingestAndWait(low.token, [old], 2);
    expect(lapsed).toMatchObject({ plan: { id: PLAN }, status: 'LAPSED', autoRenew: false, priceNext: null });
    expect((await bundleOf(low.token)).some((i) => i.reason.includes('membership'))).toBe(false);

    // Subscribing again starts a new year; the member then stops its renewal (twice: once recorded).
    const again = subscription(low, { amountMinor: HIGH_PRICE, periodStart: ago(60_000) });
    const active = await ingestAndWait(low.token, [again], 3);
    expect(active).toMatchObject({ status: 'ACTIVE', autoRenew: true, priceNext: HIGH_PRICE });
    expect(active.history.map((h) => h.change)).toEqual(['REJECTED', 'SUBSCRIBED', 'SUBSCRIBED']);
    for (let i = 0; i < 2; i++) {
      const cancelled = await fed.query(CANCEL, { token: low.token });
      expect(errorCodes(cancelled.body)).toEqual([]);
      expect(dataOf<{ cancelMembershipRenewal: unknown }>(cancelled.body).cancelMembershipRenewal).toEqual({
        status: 'ACTIVE',
        autoRenew: false,
        priceNext: null,
        history: ['REJECTED', 'SUBSCRIBED', 'SUBSCRIBED', 'CANCELLED'].map((change) => ({ change })),
      });
    }
    // The selling partner's checkout reads what became of its events, the rejection with its reason.
    const checkout = await fed.token({ role: 'partner_service', partner: SELLER, subject: 'checkout' });
    const OUTCOME = `query ($id: ID!) { subscriptionOutcome(eventId: $id) { eventId change reason } }`;
    const outcome = async (id: string, token = checkout) =>
      (await fed.query(OUTCOME, { token, variables: { id } })).body;
    expect(
      dataOf<{ subscriptionOutcome: unknown }>(await outcome(wrong.eventId)).subscriptionOutcome,
    ).toEqual({
      eventId: wrong.eventId,
      change: 'REJECTED',
      reason: rejected.history[0].reason,
    });
    expect(
      dataOf<{ subscriptionOutcome: unknown }>(await outcome(again.eventId)).subscriptionOutcome,
    ).toMatchObject({
      change: 'SUBSCRIBED',
    });
    expect(
      dataOf<{ subscriptionOutcome: unknown }>(await outcome('no-such-event')).subscriptionOutcome,
    ).toBeNull();
    // Another partner's checkout does not see mindspark's events.
    const other = await fed.token({ role: 'partner_service', partner: 'inkwell', subject: 'checkout' });
    expect(
      dataOf<{ subscriptionOutcome: unknown }>(await outcome(wrong.eventId, other)).subscriptionOutcome,
    ).toBeNull();
    expect(errorCodes(await outcome(wrong.eventId, low.token))).toEqual(['FORBIDDEN']);

    // The same event again changes nothing.
    await fed.ingest(SELLER, jsonBody([again]));
    expect((await membershipOf(low.token))!.history).toHaveLength(4);
  });

  it('keeps a lapsed plan in grace, renews it, applies its benefits and multiplier, and a refund ends it and takes them back', async () => {
    // A year bought 368 days ago ended about 3 days ago: in grace, with its benefits.
    const first = subscription(high, { amountMinor: LOW_PRICE, periodStart: ago(368 * DAY_MS) });
    const inGrace = await ingestAndWait(high.token, [first], 1);
    expect(inGrace).toMatchObject({
      plan: { id: PLAN },
      status: 'GRACE',
      autoRenew: true,
      priceNext: LOW_PRICE,
    });
    expect(inGrace.history[0].change).toBe('SUBSCRIBED');
    const planItems = (items: { benefit: { id: string }; reason: string }[]) =>
      items
        .filter((i) => i.reason.includes('with your Joint Plus membership'))
        .map((i) => i.benefit.id)
        .sort();
    expect(planItems(await bundleOf(high.token))).toEqual(['IW-SIGNED-ED', 'MS-PRIORITY']);

    // Renewed in grace: active for a new year.
    const renewalStart = ago(10 * 60_000);
    const renewal = subscription(high, { amountMinor: LOW_PRICE, periodStart: renewalStart });
    const renewed = await ingestAndWait(high.token, [renewal], 2);
    expect(renewed).toMatchObject({ status: 'ACTIVE', autoRenew: true, priceNext: LOW_PRICE });
    expect(renewed.history[1].change).toBe('RENEWED');
    expect(Date.parse(renewed.currentPeriodEnd!) - Date.now()).toBeGreaterThan(360 * DAY_MS);

    // A purchase in the renewed period earns its base points and the plan's ×1.5 as a campaign entry.
    const campaignId = `plan:${PLAN}:${SELLER}:${renewal.eventId}`;
    const purchase = purchaseEvent(high.brandMemberId, {
      amountMinor: 10_000,
      category: localCategory(fed, SELLER),
      occurredAt: ago(5 * 60_000),
    });
    await fed.ingest(SELLER, jsonBody([purchase]));
    const earned = await waitFor('the plan’s points for the purchase', async () =>
      pointsLedger(fed).findOne({ campaignId, kind: 'earn', sourceEventId: purchase.eventId }),
    );
    expect(earned).toMatchObject({ points: 50, memberId: high.memberId });

    // Refunded within the cooling-off window: the plan ends, its points go back, its benefits leave the bundle.
    const refundAt = (occurredAt: string) =>
      subscription(high, { action: 'refund', amountMinor: LOW_PRICE, periodStart: renewalStart, occurredAt });
    const refund = refundAt(ago(60_000));
    const ended = await ingestAndWait(high.token, [refund], 3);
    expect(ended).toMatchObject({
      status: 'ENDED',
      autoRenew: false,
      priceNext: null,
      currentPeriodEnd: null,
    });
    expect(ended.history[2].change).toBe('REFUNDED');
    const reversed = await waitFor('the plan’s points to be taken back', async () =>
      pointsLedger(fed).findOne({ campaignId, kind: 'reverse' }),
    );
    expect(reversed).toMatchObject({ points: -50, memberId: high.memberId });
    expect(planItems(await bundleOf(high.token))).toEqual([]);

    // A second refund of the same period is rejected, with the reason; nothing more is taken back.
    const twice = refundAt(ago(30_000));
    const after = await ingestAndWait(high.token, [twice], 4);
    expect(after.history[3]).toMatchObject({ change: 'REJECTED' });
    expect(after.history[3].reason).toContain('refunded already');
    expect(await pointsLedger(fed).countDocuments({ campaignId })).toBe(2);
  });

  it('gets a subscription the stream lost back from the reconciliation sweep', async () => {
    const account = await accountOfAnother(SELLER);
    subscribers.add(account.memberId);
    const token = await fed.token({ role: 'member', memberId: account.memberId });
    const plans = dataOf<{ me: { availablePlans: AvailablePlan[] } }>(
      (await fed.query(PLANS, { token })).body,
    );
    const price = plans.me.availablePlans.find((p) => p.plan.id === PLAN)!.price;
    const paid = subscription(account, { amountMinor: price, periodStart: ago(60_000) });
    expect((await ingestAndWait(token, [paid], 1)).status).toBe('ACTIVE');
    // As if the stream had lost the entry before the consumer applied it: the record is gone.
    await fed.dbs.benefits.connection.collection('memberships').deleteOne({ _id: account.memberId } as never);
    expect(await membershipOf(token)).toBeNull();

    const report = await fed.federation.benefits.reconciler!.run({ partners: [SELLER] });
    expect(report.brands[0].republished).toBeGreaterThanOrEqual(1);
    const restored = await waitFor('the subscription to be recorded again', async () => {
      const membership = await membershipOf(token);
      return membership?.status === 'ACTIVE' ? membership : null;
    });
    expect(restored.history.map((h) => h.change)).toEqual(['SUBSCRIBED']);
  });

  it('gives operators paying members by plan, conversion by score band, renewal and churn', async () => {
    const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    const response = await fed.query(
      `query ($from: DateTime!, $to: DateTime!) {
        programmeAnalytics(from: $from, to: $to) {
          paidMembership {
            byPlan { planId paying trialling }
            newPaying
            conversionByBand { band members converted rate }
            renewalsDue renewed churned renewalRate churnRate refunds
          }
        }
      }`,
      {
        token: admin,
        variables: { from: ago(400 * DAY_MS), to: new Date(Date.now() + DAY_MS).toISOString() },
      },
    );
    expect(errorCodes(response.body)).toEqual([]);
    const figures = dataOf<{ programmeAnalytics: { paidMembership: Record<string, unknown> } }>(response.body)
      .programmeAnalytics.paidMembership;
    // The low-score member and the one the sweep restored pay at the end; the high-score member's plan was
    // refunded. Three first payments; the low-score member's lapsed year is the one renewal due, churned.
    expect(figures).toMatchObject({
      byPlan: [
        { planId: PLAN, paying: 2, trialling: 0 },
        { planId: 'fit-pass-monthly', paying: 0, trialling: 0 },
      ],
      newPaying: 3,
      renewalsDue: 1,
      renewed: 0,
      churned: 1,
      renewalRate: 0,
      churnRate: 1,
      refunds: 1,
    });
    const bands = figures.conversionByBand as { band: string; members: number; converted: number }[];
    expect(bands.map((b) => b.band)).toEqual(['DIAMOND', 'GOLD', 'CLASSIC', 'BASIC']);
    expect(bands.reduce((sum, b) => sum + b.converted, 0)).toBe(3);
    expect(
      bands.filter((b) => b.band === 'DIAMOND' || b.band === 'GOLD').reduce((s, b) => s + b.converted, 0),
    ).toBeGreaterThanOrEqual(1);
    expect(bands.every((b) => b.members >= b.converted)).toBe(true);

    const member = await fed.query(
      `query ($from: DateTime!, $to: DateTime!) { programmeAnalytics(from: $from, to: $to) { paidMembership { newPaying } } }`,
      { token: low.token, variables: { from: ago(DAY_MS), to: new Date().toISOString() } },
    );
    expect(errorCodes(member.body)).toContain('FORBIDDEN');
  });

  it('splits the month’s fees between partners in their settlement statements', async () => {
    const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    const month = createProgrammeCalendar(fed.registry.programmeTimeZone).monthKey(new Date());
    const fees = new Map<string, MembershipFees>();
    for (const { key } of fed.registry.partners) {
      const response = await fed.query(
        `query ($partner: String!, $month: String!) {
          partnerSettlement(partner: $partner, month: $month) { membershipFees { collectedMinor shareMinor netOwedToPartnerMinor } }
        }`,
        { token: admin, variables: { partner: key, month } },
      );
      expect(errorCodes(response.body)).toEqual([]);
      fees.set(
        key,
        dataOf<{
          partnerSettlement: { membershipFees: MembershipFees };
        }>(response.body).partnerSettlement.membershipFees,
      );
    }
    const all = [...fees.values()];
    // Only the seller's checkout collects; the plan's rule (equal shares) spreads every fee over all partners.
    expect(fees.get(SELLER)!.collectedMinor).toBeGreaterThan(0);
    expect(all.filter((f) => f.collectedMinor !== 0)).toHaveLength(1);
    expect(all.reduce((sum, f) => sum + f.shareMinor, 0)).toBe(fees.get(SELLER)!.collectedMinor);
    expect(all.reduce((sum, f) => sum + f.netOwedToPartnerMinor, 0)).toBe(0);
    const shares = all.map((f) => f.shareMinor);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(2);
  });

  it('answers NOT_FOUND to a cancellation without a plan that renews', async () => {
    const other = await accountOfAnother('inkwell');
    const token = await fed.token({ role: 'member', memberId: other.memberId });
    const response = await fed.query(CANCEL, { token });
    expect(errorCodes(response.body)).toEqual(['NOT_FOUND']);
  });
});
