import type { MembershipState } from './membership-lifecycle.js';
import type { MembershipPlan } from './membership-plan.js';

export interface PartnerRevenue {
  /** Fees the partner's checkout took in the month (less fees it refunded then): what it holds. */
  collectedMinor: number;
  /** The partner's share of every fee of the month (less refunded ones) under the plans' rules. */
  shareMinor: number;
}

/**
 * One fee split by the plan's rule, in whole minor units: each partner gets its weight's part rounded down,
 * and what rounding leaves goes one unit at a time to the partners in the order given (the seller first when
 * it shares), so the parts always add up to the fee.
 */
export function splitFee(
  amountMinor: number,
  plan: MembershipPlan,
  allPartners: readonly string[],
): Map<string, number> {
  const rule = plan.revenueShare;
  const weights: [string, number][] =
    rule.rule === 'WEIGHTS'
      ? Object.entries(rule.weights)
      : (rule.partners.length > 0 ? rule.partners : allPartners).map((p) => [p, 1]);
  const ordered = [...weights].sort(([a], [b]) => Number(b === plan.soldBy) - Number(a === plan.soldBy));
  const total = ordered.reduce((sum, [, w]) => sum + w, 0);
  const parts = new Map(ordered.map(([p, w]) => [p, Math.floor((amountMinor * w) / total)]));
  let left = amountMinor - [...parts.values()].reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % ordered.length, left--) {
    parts.set(ordered[i][0], parts.get(ordered[i][0])! + 1);
  }
  return parts;
}

/**
 * What each partner collected and is owed of membership fees in `[start, end)`: a fee counts in the month it
 * was paid, a refund (of the whole fee) in the month it was made, with the opposite sign.
 */
export function membershipRevenue(
  memberships: readonly MembershipState[],
  bounds: { start: Date; end: Date },
  plans: ReadonlyMap<string, MembershipPlan>,
  allPartners: readonly string[],
): Map<string, PartnerRevenue> {
  const revenue = new Map<string, PartnerRevenue>(
    allPartners.map((p) => [p, { collectedMinor: 0, shareMinor: 0 }]),
  );
  const within = (at: Date) => at >= bounds.start && at < bounds.end;
  const book = (planId: string, amountMinor: number, sign: 1 | -1) => {
    const plan = plans.get(planId);
    if (!plan || amountMinor <= 0) return;
    const seller = revenue.get(plan.soldBy);
    if (seller) seller.collectedMinor += sign * amountMinor;
    for (const [partner, part] of splitFee(amountMinor, plan, allPartners)) {
      const row = revenue.get(partner);
      if (row) row.shareMinor += sign * part;
    }
  };
  for (const state of memberships) {
    for (const period of state.periods) {
      if (!period.trial && within(period.paidAt)) book(period.planId, period.amountMinor, 1);
    }
    for (const entry of state.history) {
      if (entry.kind !== 'REFUNDED' || !within(entry.at) || entry.amountMinor === null || !entry.planId)
        continue;
      book(entry.planId, entry.amountMinor, -1);
    }
  }
  return revenue;
}
