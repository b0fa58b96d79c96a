import type { Campaign } from '../../domain/campaigns/campaign.js';
import { periodAt } from '../../domain/membership/membership-lifecycle.js';
import type { MembershipPlan } from '../../domain/membership/membership-plan.js';
import { planCampaign } from '../../domain/membership/plan-campaign.js';
import type { CampaignGrants } from '../campaigns/campaign-grants.js';
import type { MembershipStore } from './membership-store.js';

/**
 * The member's paid plan at an event's time as campaigns for the campaign consumer: the multiplier of the
 * period that covers the event (or of the last one, in its grace). Its budget document (unlimited) is opened
 * here, idempotently, since grants are reserved against one.
 */
export function planCampaignsOf(
  memberships: MembershipStore,
  plans: ReadonlyMap<string, MembershipPlan>,
  grants: CampaignGrants,
): (memberId: string, at: Date) => Promise<Campaign[]> {
  return async (memberId, at) => {
    const period = periodAt(await memberships.get(memberId), at, plans);
    const plan = period ? plans.get(period.planId) : undefined;
    const campaign = plan && period ? planCampaign(plan, period) : null;
    if (!campaign) return [];
    await grants.openBudget(campaign.id);
    return [campaign];
  };
}
