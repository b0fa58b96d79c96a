import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import type { MembershipState } from './membership-lifecycle.js';
import { decideSubscription, emptyMembership } from './membership-lifecycle.js';
import { planPriceFor } from './membership-plan.js';
import { yearlyPlan } from './plan-fixtures.js';
import { membershipRevenue, splitFee } from './revenue-share.js';

const PARTNERS = ['mindspark', 'inkwell', 'pulsefit'];
const calendar = createProgrammeCalendar('Asia/Shanghai');

describe('splitFee', () => {
  it('splits equally among every partner by default, the seller taking what rounding leaves first', () => {
    expect(Object.fromEntries(splitFee(10_000, yearlyPlan(), PARTNERS))).toEqual({
      mindspark: 3_334,
      inkwell: 3_333,
      pulsefit: 3_333,
    });
  });

  it('splits by weights, and among the partners named', () => {
    const weighted = yearlyPlan({
      revenueShare: { rule: 'WEIGHTS', weights: { mindspark: 3, pulsefit: 1 } },
    });
    expect(Object.fromEntries(splitFee(9_999, weighted, PARTNERS))).toEqual({
      mindspark: 7_500,
      pulsefit: 2_499,
    });
    const named = yearlyPlan({ revenueShare: { rule: 'EQUAL', partners: ['inkwell', 'pulsefit'] } });
    expect(Object.fromEntries(splitFee(101, named, PARTNERS))).toEqual({ inkwell: 51, pulsefit: 50 });
  });

  it('always adds up to the fee', () => {
    for (const fee of [1, 2, 3, 7, 29_900, 99_999]) {
      const parts = [...splitFee(fee, yearlyPlan(), PARTNERS).values()];
      expect(parts.reduce((a, b) => a + b, 0)).toBe(fee);
    }
  });
});

describe('membershipRevenue', () => {
  const plan = yearlyPlan();
  const plans = new Map([[plan.id, plan]]);
  const at = (iso: string) => new Date(iso);
  function paid(id: string, when: string, refundedAt?: string): MembershipState {
    let state = emptyMembership(id);
    const pay = {
      key: `mindspark:${id}`,
      partner: 'mindspark',
      action: 'pay' as const,
      planId: plan.id,
      amountMinor: 29_900,
      periodStart: at(when),
      occurredAt: at(when),
    };
    const terms = { plans, price: planPriceFor(plan, 10), calendar };
    let decision = decideSubscription(state, pay, terms);
    if (decision.replay) throw new Error('not paid');
    state = decision.next;
    if (refundedAt) {
      decision = decideSubscription(
        state,
        { ...pay, key: `mindspark:r-${id}`, action: 'refund', occurredAt: at(refundedAt) },
        terms,
      );
      if (decision.replay) throw new Error('not refunded');
      state = decision.next;
    }
    return state;
  }
  const december = { start: at('2026-12-01T00:00:00+08:00'), end: at('2027-01-01T00:00:00+08:00') };

  it('books fees in the month paid and refunds in the month refunded; the seller owes the others their share', () => {
    const revenue = membershipRevenue(
      [
        paid('a', '2026-12-05T00:00:00Z'),
        paid('b', '2026-12-20T00:00:00Z', '2026-12-22T00:00:00Z'),
        paid('c', '2026-11-28T00:00:00Z', '2026-12-02T00:00:00Z'),
        paid('d', '2026-11-10T00:00:00Z'),
      ],
      december,
      plans,
      PARTNERS,
    );
    // a and b paid (+2 fees), b and c refunded (−2 fees): December nets to zero for c's November fee.
    expect(Object.fromEntries(revenue)).toEqual({
      mindspark: { collectedMinor: 0, shareMinor: 0 },
      inkwell: { collectedMinor: 0, shareMinor: 0 },
      pulsefit: { collectedMinor: 0, shareMinor: 0 },
    });
    const onlyA = membershipRevenue([paid('a', '2026-12-05T00:00:00Z')], december, plans, PARTNERS);
    expect(onlyA.get('mindspark')).toEqual({ collectedMinor: 29_900, shareMinor: 9_967 });
    expect(onlyA.get('inkwell')).toEqual({ collectedMinor: 0, shareMinor: 9_967 });
    expect(onlyA.get('pulsefit')).toEqual({ collectedMinor: 0, shareMinor: 9_966 });
  });
});
