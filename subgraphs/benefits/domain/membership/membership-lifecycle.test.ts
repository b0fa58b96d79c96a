import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import type { MembershipState, SubscriptionCommand } from './membership-lifecycle.js';
import {
  decideCancellation,
  decideSubscription,
  emptyMembership,
  membershipStatus,
  periodAt,
  periodEnd,
} from './membership-lifecycle.js';
import type { MembershipPlan } from './membership-plan.js';
import { membershipPlanSchema, planPriceFor } from './membership-plan.js';
import { yearlyPlan } from './plan-fixtures.js';

const calendar = createProgrammeCalendar('Asia/Shanghai');
const yearly = yearlyPlan({ graceDays: 7, coolingOffDays: 14 });
const monthly: MembershipPlan = membershipPlanSchema.parse({
  id: 'fit-pass',
  name: 'Fit Pass',
  period: 'MONTH',
  currency: 'CNY',
  priceBands: [{ minScore: 0, priceMinor: 3900 }],
  trialDays: 7,
  graceDays: 3,
  soldBy: 'pulsefit',
});
const plans = new Map([yearly, monthly].map((p) => [p.id, p]));
const T0 = new Date('2026-03-01T02:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

const pay = (over: Partial<SubscriptionCommand> = {}): SubscriptionCommand => ({
  key: 'mindspark:s1',
  partner: 'mindspark',
  action: 'pay',
  planId: 'joint-plus',
  amountMinor: 29900,
  periodStart: T0,
  occurredAt: T0,
  ...over,
});

function apply(state: MembershipState, command: SubscriptionCommand, score = 50): MembershipState {
  const plan = plans.get(command.planId);
  const decision = decideSubscription(state, command, {
    plans,
    price: plan ? planPriceFor(plan, score) : null,
    calendar,
  });
  return decision.replay ? state : decision.next;
}

const lastEntry = (state: MembershipState) => state.history[state.history.length - 1];

describe('periodEnd', () => {
  it('keeps the local wall time and clamps to the end of a shorter month', () => {
    const start = new Date('2026-01-31T04:00:00Z'); // 12:00 in Shanghai
    expect(periodEnd(start, { period: 'MONTH' }, calendar).toISOString()).toBe('2026-02-28T04:00:00.000Z');
    expect(periodEnd(start, { period: 'YEAR' }, calendar).toISOString()).toBe('2027-01-31T04:00:00.000Z');
    expect(periodEnd(start, { days: 7 }, calendar).toISOString()).toBe('2026-02-07T04:00:00.000Z');
  });
});

describe('decideSubscription', () => {
  it("activates a plan paid at the member's price and rejects any other amount, with the reason", () => {
    const low = apply(emptyMembership('M1'), pay());
    expect(lastEntry(low).kind).toBe('SUBSCRIBED');
    expect(membershipStatus(low, day(1), plans)).toBe('ACTIVE');
    expect(low.autoRenew).toBe(true);

    const wrong = apply(emptyMembership('M2'), pay({ amountMinor: 9900 }), 50);
    expect(lastEntry(wrong).kind).toBe('REJECTED');
    expect(lastEntry(wrong).reason).toContain("amountMinor 9900 is not the member's price of 29900");
    expect(membershipStatus(wrong, day(1), plans)).toBe('NONE');

    const high = apply(emptyMembership('M3'), pay({ amountMinor: 9900 }), 85);
    expect(lastEntry(high).kind).toBe('SUBSCRIBED');
  });

  it('rejects plans the programme does not have and plans sold by another partner', () => {
    expect(lastEntry(apply(emptyMembership('M1'), pay({ planId: 'nope' }))).reason).toContain(
      'is not a membership plan',
    );
    expect(lastEntry(apply(emptyMembership('M1'), pay({ partner: 'inkwell' }))).reason).toBe(
      'Joint Plus is sold by mindspark, not inkwell',
    );
  });

  it('is idempotent by event key, rejected events included', () => {
    const once = apply(emptyMembership('M1'), pay({ amountMinor: 1 }));
    const twice = apply(once, pay({ amountMinor: 1 }));
    expect(twice).toBe(once);
    const paid = apply(emptyMembership('M1'), pay());
    expect(apply(paid, pay())).toBe(paid);
  });

  it('renews from the end of the current period, keeps benefits in grace, lapses after it', () => {
    const first = apply(emptyMembership('M1'), pay());
    const end = first.periods[0].end;
    expect(membershipStatus(first, new Date(end.getTime() + 86_400_000), plans)).toBe('GRACE');
    expect(periodAt(first, new Date(end.getTime() + 86_400_000), plans)?.key).toBe('mindspark:s1');
    expect(membershipStatus(first, new Date(end.getTime() + 8 * 86_400_000), plans)).toBe('LAPSED');
    expect(periodAt(first, new Date(end.getTime() + 8 * 86_400_000), plans)).toBeNull();

    // Paid early (a month before the end): the new period starts where the current one ends.
    const early = new Date(end.getTime() - 30 * 86_400_000);
    const renewed = apply(first, pay({ key: 'mindspark:s2', periodStart: early, occurredAt: early }));
    expect(lastEntry(renewed).kind).toBe('RENEWED');
    expect(renewed.periods[1].start).toEqual(end);
    expect(membershipStatus(renewed, new Date(end.getTime() + 8 * 86_400_000), plans)).toBe('ACTIVE');

    // Paid in grace: a renewal too.
    const inGrace = new Date(end.getTime() + 2 * 86_400_000);
    const late = apply(first, pay({ key: 'mindspark:s3', periodStart: inGrace, occurredAt: inGrace }));
    expect(lastEntry(late).kind).toBe('RENEWED');
    expect(late.periods[1].start).toEqual(inGrace);
  });

  it('refuses a second plan while one is held', () => {
    const first = apply(emptyMembership('M1'), pay());
    const other = apply(
      first,
      pay({
        key: 'pulsefit:f1',
        partner: 'pulsefit',
        planId: 'fit-pass',
        amountMinor: 3900,
        occurredAt: day(2),
      }),
    );
    expect(lastEntry(other).kind).toBe('REJECTED');
    expect(lastEntry(other).reason).toContain('changing plans is not supported');
  });

  it('starts a trial once for a plan that has one', () => {
    const trial = pay({ key: 'pulsefit:t1', partner: 'pulsefit', planId: 'fit-pass', amountMinor: 0 });
    const started = apply(emptyMembership('M1'), trial);
    expect(lastEntry(started).kind).toBe('TRIAL_STARTED');
    expect(membershipStatus(started, day(3), plans)).toBe('TRIAL');
    expect(started.periods[0].end).toEqual(day(7));
    const again = apply(started, { ...trial, key: 'pulsefit:t2', occurredAt: day(40), periodStart: day(40) });
    expect(lastEntry(again).reason).toContain('already had Fit Pass');
    expect(lastEntry(apply(emptyMembership('M2'), pay({ amountMinor: 0 }))).reason).toContain('has no trial');
    // Paying during the trial subscribes from the trial's end.
    const paid = apply(started, {
      ...trial,
      key: 'pulsefit:p1',
      amountMinor: 3900,
      occurredAt: day(2),
      periodStart: day(2),
    });
    expect(lastEntry(paid).kind).toBe('SUBSCRIBED');
    expect(paid.periods[1].start).toEqual(day(7));
  });

  it('refunds the whole fee within the cooling-off window and ends the plan; later or partial refunds are rejected', () => {
    const first = apply(emptyMembership('M1'), pay());
    const refund = pay({ key: 'mindspark:r1', action: 'refund', occurredAt: day(10) });
    const refunded = apply(first, refund);
    expect(lastEntry(refunded).kind).toBe('REFUNDED');
    expect(membershipStatus(refunded, day(11), plans)).toBe('ENDED');
    expect(periodAt(refunded, day(5), plans)).toBeNull();
    expect(refunded.autoRenew).toBe(false);
    expect(lastEntry(apply(first, { ...refund, occurredAt: day(15) })).reason).toContain(
      'outside the 14-day cooling-off window',
    );
    expect(lastEntry(apply(first, { ...refund, amountMinor: 100 })).reason).toContain(
      'returns the whole fee',
    );
    expect(lastEntry(apply(first, { ...refund, periodStart: day(3) })).reason).toContain(
      'no period of Joint Plus',
    );
    // A new subscription after the refund starts the plan anew.
    const again = apply(refunded, pay({ key: 'mindspark:s9', occurredAt: day(20), periodStart: day(20) }));
    expect(membershipStatus(again, day(21), plans)).toBe('ACTIVE');
  });
});

describe('decideCancellation', () => {
  it('stops renewal once; the plan runs to the end of its period', () => {
    const first = apply(emptyMembership('M1'), pay());
    const decision = decideCancellation(first, day(3), plans);
    if (decision.replay) throw new Error('expected a change');
    expect(decision.next.autoRenew).toBe(false);
    expect(decision.entry.kind).toBe('CANCELLED');
    expect(membershipStatus(decision.next, day(4), plans)).toBe('ACTIVE');
    expect(decideCancellation(decision.next, day(4), plans)).toEqual({ replay: true });
    expect(decideCancellation(emptyMembership('M2'), day(4), plans)).toEqual({ replay: true });
  });
});
