import type { BehaviourEvent } from './behaviour-increments.js';
import { behaviourIncrements } from './behaviour-increments.js';

const BOUGHT = new Date('2024-06-20T09:30:00.000Z');
const LATER = new Date('2024-06-25T18:00:00.000Z');

/** Applies `$inc` maps the way MongoDB does, summing every path. */
function applyAll(events: BehaviourEvent[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const event of events) {
    for (const [path, amount] of Object.entries(behaviourIncrements(event))) {
      totals[path] = (totals[path] ?? 0) + amount;
    }
  }
  return totals;
}

describe('behaviourIncrements', () => {
  it('counts a purchase and its spend on its day, overall and in its joint category', () => {
    expect(
      behaviourIncrements({
        type: 'purchase',
        occurredAt: BOUGHT,
        amountMinor: 15_050,
        jointCategory: 'health',
      }),
    ).toEqual({
      'days.2024-06-20.purchaseCount': 1,
      'days.2024-06-20.spendMinor': 15_050,
      'days.2024-06-20.categories.health.purchaseCount': 1,
      'days.2024-06-20.categories.health.spendMinor': 15_050,
    });
  });

  it("takes a refund off the purchase's day (net spend where it was earned), keeping the purchase count", () => {
    expect(
      behaviourIncrements({
        type: 'refund',
        occurredAt: LATER,
        amountMinor: 5_025,
        jointCategory: 'health',
        purchasedAt: BOUGHT,
      }),
    ).toEqual({
      'days.2024-06-20.spendMinor': -5_025,
      'days.2024-06-20.categories.health.spendMinor': -5_025,
    });
  });

  it('nets a purchase and partial refunds of 5025 and 10025 to zero spend and one purchase', () => {
    const refund = (amountMinor: number): BehaviourEvent => ({
      type: 'refund',
      occurredAt: LATER,
      amountMinor,
      jointCategory: 'health',
      purchasedAt: BOUGHT,
    });
    expect(
      applyAll([
        { type: 'purchase', occurredAt: BOUGHT, amountMinor: 15_050, jointCategory: 'health' },
        refund(5_025),
        refund(10_025),
      ]),
    ).toEqual({
      'days.2024-06-20.purchaseCount': 1,
      'days.2024-06-20.spendMinor': 0,
      'days.2024-06-20.categories.health.purchaseCount': 1,
      'days.2024-06-20.categories.health.spendMinor': 0,
    });
  });

  it('counts browsing and its seconds, overall and in its category', () => {
    expect(
      behaviourIncrements({ type: 'browse', occurredAt: LATER, seconds: 420, jointCategory: 'lifestyle' }),
    ).toEqual({
      'days.2024-06-25.browseCount': 1,
      'days.2024-06-25.browseSeconds': 420,
      'days.2024-06-25.categories.lifestyle.browseSeconds': 420,
    });
  });

  it('counts an interaction, in its category only when it has one', () => {
    expect(behaviourIncrements({ type: 'interaction', occurredAt: LATER, jointCategory: 'arts' })).toEqual({
      'days.2024-06-25.interactionCount': 1,
      'days.2024-06-25.categories.arts.interactionCount': 1,
    });
    expect(behaviourIncrements({ type: 'interaction', occurredAt: LATER })).toEqual({
      'days.2024-06-25.interactionCount': 1,
    });
  });

  it('counts a referral', () => {
    expect(behaviourIncrements({ type: 'referral', occurredAt: LATER })).toEqual({
      'days.2024-06-25.referralCount': 1,
    });
  });

  it('counts a login on its day, so that rules can count logins per period', () => {
    expect(behaviourIncrements({ type: 'login', occurredAt: LATER })).toEqual({
      'days.2024-06-25.loginCount': 1,
    });
  });

  it('buckets by the UTC day of the instant', () => {
    const lateEvening = new Date('2024-07-01T07:59:00+08:00');
    expect(Object.keys(behaviourIncrements({ type: 'referral', occurredAt: lateEvening }))).toEqual([
      'days.2024-06-30.referralCount',
    ]);
  });
});
