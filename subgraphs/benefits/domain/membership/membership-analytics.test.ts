import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import { membershipAnalytics } from './membership-analytics.js';
import type { MembershipState, SubscriptionCommand } from './membership-lifecycle.js';
import { decideSubscription, emptyMembership } from './membership-lifecycle.js';
import { planPriceFor } from './membership-plan.js';
import { yearlyPlan } from './plan-fixtures.js';

const calendar = createProgrammeCalendar('Asia/Shanghai');
const plan = yearlyPlan({ graceDays: 7, trialDays: 14 });
const plans = new Map([[plan.id, plan]]);
const DAY = 86_400_000;
const T0 = new Date('2025-01-10T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);

function member(id: string, payments: { day: number; score: number; amount?: number; refund?: boolean }[]) {
  let state: MembershipState = emptyMembership(id);
  payments.forEach((p, i) => {
    const command: SubscriptionCommand = {
      key: `mindspark:${id}-${i}`,
      partner: 'mindspark',
      action: p.refund ? 'refund' : 'pay',
      planId: plan.id,
      amountMinor: p.amount ?? planPriceFor(plan, p.score).priceMinor,
      periodStart: p.refund ? day(payments[i - 1].day) : day(p.day),
      occurredAt: p.refund ? day(p.day) : day(p.day),
    };
    const decision = decideSubscription(state, command, {
      plans,
      price: planPriceFor(plan, p.score),
      compositeScore: p.score,
      calendar,
    });
    if (decision.replay || decision.entry.kind === 'REJECTED')
      throw new Error(`payment ${i} of ${id} was not accepted`);
    state = decision.next;
  });
  return state;
}

describe('membershipAnalytics', () => {
  // The window: the whole of 2026 (T0 + 356 days to T0 + 721 days).
  const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
  const memberships = [
    // Paid in 2025, renewed in its grace in 2026: renewed, paying at the end.
    member('renews', [
      { day: 0, score: 85 },
      { day: 368, score: 85 },
    ]),
    // Paid in 2025, its grace ended in 2026 unrenewed: churned.
    member('churns', [{ day: 0, score: 50 }]),
    // First paid in 2026 at a score of 92, then refunded within the cooling-off window.
    member('refunds', [
      { day: 400, score: 92 },
      { day: 405, score: 92, refund: true },
    ]),
    // First paid in 2026 at a score of 65: a conversion, paying at the end.
    member('converts', [{ day: 500, score: 65 }]),
    // In the trial at the window's end.
    member('trials', [{ day: 715, score: 10, amount: 0 }]),
  ];
  const bands = new Map([
    ['DIAMOND', 10],
    ['GOLD', 20],
    ['CLASSIC', 40],
    ['BASIC', 0],
  ] as const);
  const figures = membershipAnalytics(memberships, window, plans, bands);

  it('counts paying and trialling members per plan at the window end', () => {
    expect(figures.byPlan).toEqual([{ planId: 'joint-plus', paying: 2, trialling: 1 }]);
  });

  it('counts first payments in the window by the score band they were priced on', () => {
    expect(figures.newPaying).toBe(2);
    expect(figures.conversionByBand).toEqual([
      { band: 'DIAMOND', members: 10, converted: 1, rate: 0.1 },
      { band: 'GOLD', members: 20, converted: 0, rate: 0 },
      { band: 'CLASSIC', members: 40, converted: 1, rate: 0.025 },
      { band: 'BASIC', members: 0, converted: 0, rate: null },
    ]);
  });

  it('tells renewals from churn among the periods whose grace ended in the window, and counts refunds', () => {
    expect(figures).toMatchObject({
      renewalsDue: 2,
      renewed: 1,
      churned: 1,
      renewalRate: 0.5,
      churnRate: 0.5,
      refunds: 1,
    });
  });
});
