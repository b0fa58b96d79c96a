import type { Connection } from 'mongoose';
import type { PartnerRegistry } from '../../../shared/config/partner-registry.js';
import type { ProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import type { StreamEntry } from '../../../shared/streams/activity-stream.js';
import type { MembershipDeps } from '../../events/membership-consumer.js';
import { membershipHandler } from '../../events/membership-consumer.js';
import type { MembershipPlan } from '../../domain/membership/membership-plan.js';
import type { CampaignServices } from '../campaigns/campaign-services.js';
import type { PointsWallet } from '../points-wallet.js';
import { MembershipStore } from './membership-store.js';
import type { PlanCampaigns } from './plan-campaigns.js';
import { planCampaignsOf } from './plan-campaigns.js';
import { membersPerScoreBand } from './score-bands.js';
import type { TierCode } from '../../../shared/domain/tiers.js';

/** Paid membership: the store, the registry's plans, and what the campaign consumer runs for it. */
export interface MembershipServices {
  store: MembershipStore;
  plans: ReadonlyMap<string, MembershipPlan>;
  /** Records subscription events (run before campaign earning, in the same consumer group). */
  handle: (entries: StreamEntry[]) => Promise<void>;
  /**
   * For a batch of events' members, their plan multiplier at an event's time, as campaigns; undefined when no
   * plan has one.
   */
  planCampaigns?: (memberIds: readonly string[]) => Promise<PlanCampaigns>;
  /** Members per composite-score band (analytics). */
  membersPerScoreBand: () => Promise<Map<TierCode, number>>;
}

export async function openMembershipServices(options: {
  connection: Connection;
  registry: PartnerRegistry;
  campaigns: CampaignServices;
  wallet: PointsWallet;
  calendar: ProgrammeCalendar;
  onRejected?: MembershipDeps['onRejected'];
  onRefused?: MembershipDeps['onRefused'];
  onChanged?: (memberId: string) => Promise<void>;
}): Promise<MembershipServices> {
  const store = await MembershipStore.open(options.connection, options.onChanged);
  const plans = new Map(options.registry.membershipPlans.map((plan) => [plan.id, plan]));
  return {
    store,
    plans,
    handle: membershipHandler({
      memberships: store,
      plans,
      facts: options.campaigns.facts,
      grants: options.campaigns.grants,
      wallet: options.wallet,
      calendar: options.calendar,
      onRejected: options.onRejected,
      onRefused: options.onRefused,
    }),
    // Without a plan that multiplies, earning reads no membership at all.
    planCampaigns: [...plans.values()].some((plan) => (plan.earning?.pointsMultiplier ?? 1) > 1)
      ? planCampaignsOf(store, plans, options.campaigns.grants)
      : undefined,
    membersPerScoreBand: () => membersPerScoreBand(options.connection),
  };
}
