import type { Campaign } from '../campaigns/campaign.js';
import type { MembershipPeriod } from './membership-lifecycle.js';
import { periodCampaignId } from './membership-lifecycle.js';
import type { MembershipPlan } from './membership-plan.js';

const DAY_MS = 86_400_000;

/**
 * A paid period's earning multiplier as a campaign, so that it goes through the campaigns' own machinery: the
 * same stacking (priority, cap on the combined multiplier), the same grants recorded per event and order, the
 * same reversal when a purchase is refunded. It runs for the period and its grace, on purchases at the plan's
 * partners (all when it names none), for the member only, without budget or control group. Its id names the
 * period (`plan:<plan>:<partner>:<eventId>`), so a refund of the subscription takes back what that period gave.
 */
export function planCampaign(plan: MembershipPlan, period: MembershipPeriod): Campaign | null {
  if (!plan.earning || plan.earning.pointsMultiplier <= 1) return null;
  return {
    id: periodCampaignId(period),
    name: `${plan.name} membership`,
    partner: null,
    window: {
      startsAt: period.start,
      endsAt: new Date(period.end.getTime() + plan.graceDays * DAY_MS),
      recurrence: null,
    },
    audience: null,
    scope: { activities: ['PURCHASE'], partners: [...plan.earning.partners], categories: [] },
    actions: {
      pointsMultiplier: plan.earning.pointsMultiplier,
      bonusPoints: null,
      unlocksBenefit: null,
      discountPercent: null,
    },
    budget: { totalPoints: null, perMemberPoints: null },
    priority: plan.earning.priority,
    stacking: 'STACKABLE',
    maxCombinedMultiplier: null,
    controlShare: 0,
    status: 'ACTIVE',
    pauses: [],
    endedAt: null,
    version: 1,
  };
}
