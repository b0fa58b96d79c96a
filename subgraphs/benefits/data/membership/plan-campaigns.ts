import type { Campaign } from '../../domain/campaigns/campaign.js';
import { periodAt } from '../../domain/membership/membership-lifecycle.js';
import type { MembershipPlan } from '../../domain/membership/membership-plan.js';
import { planCampaign } from '../../domain/membership/plan-campaign.js';
import type { CampaignGrants } from '../campaigns/campaign-grants.js';
import type { MembershipStore } from './membership-store.js';

/** A member's paid plan at an event's time, as campaigns (none when no period covers it). */
export type PlanCampaigns = (memberId: string, at: Date) => Promise<Campaign[]>;

/**
 * The member's paid plan at an event's time as campaigns for the campaign consumer: the multiplier of the
 * period that covers the event (or of the last one, in its grace). Made per batch of events: the batch's
 * members' memberships are read in one query, and each plan's budget document (unlimited) is opened once,
 * idempotently, since grants are reserved against one.
 */
export function planCampaignsOf(
  memberships: MembershipStore,
  plans: ReadonlyMap<string, MembershipPlan>,
  grants: CampaignGrants,
): (memberIds: readonly string[]) => Promise<PlanCampaigns> {
  return async (memberIds) => {
    const states = await memberships.getMany(memberIds);
    const opened = new Map<string, Promise<void>>();
    return async (memberId, at) => {
      const state = states.get(memberId) ?? (await memberships.get(memberId));
      const period = periodAt(state, at, plans);
      const plan = period ? plans.get(period.planId) : undefined;
      const campaign = plan && period ? planCampaign(plan, period) : null;
      if (!campaign) return [];
      let budget = opened.get(campaign.id);
      if (!budget) opened.set(campaign.id, (budget = grants.openBudget(campaign.id)));
      await budget;
      return [campaign];
    };
  };
}
