import type { AnalyticsWindow } from '../../../shared/domain/analytics-window.js';
import type { TierCode } from '../../../shared/domain/tiers.js';
import { DEFAULT_TIER_BANDS, tierForScore } from '../../../shared/domain/tiers.js';
import type { MembershipPeriod, MembershipState } from './membership-lifecycle.js';
import { periodAt } from './membership-lifecycle.js';
import type { MembershipPlan } from './membership-plan.js';

const DAY_MS = 86_400_000;

export interface PlanMembers {
  planId: string;
  /** Members in a paid period (or its grace) at the window's end. */
  paying: number;
  /** Members in the plan's trial at the window's end. */
  trialling: number;
}

export interface BandConversion {
  /** The score band, named by the joint tier whose threshold it starts at. */
  band: TierCode;
  /** Members whose last computed composite score is in the band. */
  members: number;
  /** Members who paid for a plan for the first time in the window with a score in the band. */
  converted: number;
  /** converted / members; null without members. */
  rate: number | null;
}

export interface MembershipAnalytics {
  byPlan: PlanMembers[];
  /** First paid periods in the window: members going from free to paid. */
  newPaying: number;
  conversionByBand: BandConversion[];
  /** Paid periods whose grace ended in the window: each was renewed or churned. */
  renewalsDue: number;
  renewed: number;
  churned: number;
  renewalRate: number | null;
  churnRate: number | null;
  /** Refunds within the cooling-off window recorded in the window. */
  refunds: number;
}

const inWindow = (at: Date, w: AnalyticsWindow) => at >= w.from && at < w.to;
const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null;

/**
 * Paid membership figures for operators, from the members' membership documents (those with a period that
 * can matter to the window) and the number of members per score band: paying and trialling members per plan
 * at the window's end, conversion from free to paid by the score the price was checked on, and, of the
 * periods whose grace ended in the window, how many were renewed (a later period of the plan starting by then)
 * and how many churned.
 */
export function membershipAnalytics(
  memberships: readonly MembershipState[],
  window: AnalyticsWindow,
  plans: ReadonlyMap<string, MembershipPlan>,
  membersPerBand: ReadonlyMap<TierCode, number>,
): MembershipAnalytics {
  const at = new Date(window.to.getTime() - 1);
  const graceEnd = (p: MembershipPeriod) => p.end.getTime() + (plans.get(p.planId)?.graceDays ?? 0) * DAY_MS;
  const byPlan = new Map<string, PlanMembers>(
    [...plans.keys()].map((planId) => [planId, { planId, paying: 0, trialling: 0 }]),
  );
  const converted = new Map<TierCode, number>();
  let newPaying = 0;
  let renewalsDue = 0;
  let renewed = 0;
  let refunds = 0;
  for (const state of memberships) {
    const live = state.periods.filter((p) => !p.refunded);
    const current = periodAt(state, at, plans);
    const row = current ? byPlan.get(current.planId) : undefined;
    if (current && row) {
      if (current.trial) row.trialling += 1;
      else row.paying += 1;
    }
    const paid = state.periods.filter((p) => !p.trial);
    const first = paid.reduce<MembershipPeriod | undefined>(
      (earliest, p) => (!earliest || p.paidAt < earliest.paidAt ? p : earliest),
      undefined,
    );
    if (first && inWindow(first.paidAt, window)) {
      newPaying += 1;
      if (first.compositeScore != null) {
        const band = tierForScore(first.compositeScore).code;
        converted.set(band, (converted.get(band) ?? 0) + 1);
      }
    }
    for (const p of live.filter((period) => !period.trial)) {
      const deadline = new Date(graceEnd(p));
      if (!inWindow(deadline, window)) continue;
      renewalsDue += 1;
      const next = live.some(
        (q) =>
          q !== p && q.planId === p.planId && q.paidAt > p.paidAt && q.start.getTime() <= deadline.getTime(),
      );
      if (next) renewed += 1;
    }
    refunds += state.history.filter((h) => h.kind === 'REFUNDED' && inWindow(h.at, window)).length;
  }
  const churned = renewalsDue - renewed;
  return {
    byPlan: [...byPlan.values()],
    newPaying,
    conversionByBand: DEFAULT_TIER_BANDS.map(({ code }) => {
      const members = membersPerBand.get(code) ?? 0;
      const count = converted.get(code) ?? 0;
      return { band: code, members, converted: count, rate: ratio(count, members) };
    }),
    renewalsDue,
    renewed,
    churned,
    renewalRate: ratio(renewed, renewalsDue),
    churnRate: ratio(churned, renewalsDue),
    refunds,
  };
}
