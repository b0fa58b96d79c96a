import type { CrossBrandProfile } from '../../../shared/domain/cross-brand-profile.js';
import type { TierCode } from '../../../shared/domain/tiers.js';
import type { ActivityPeriod, ActivityType } from './eligibility-rule.js';

/** Counts of one member's activity per partner and type, e.g. `{ mindspark: { login: 12 } }`. */
export type PartnerActivityCounts = Record<string, Partial<Record<ActivityType, number>>>;

/** What eligibility rules can ask about a member. */
export interface MemberFacts {
  tier: TierCode;
  compositeScore: number;
  /** Share of the member's activity per joint category (0 to 1; missing categories are 0). */
  affinities: Record<string, number>;
  brandsActive: string[];
  consentedPartners: string[];
  /** Activity in the current day, week and month of the programme calendar. */
  activity: Record<ActivityPeriod, PartnerActivityCounts>;
  /** The value segment's label as of the last training (e.g. "high value"); null without one. */
  segment: string | null;
}

export const NO_ACTIVITY: Record<ActivityPeriod, PartnerActivityCounts> = { DAY: {}, WEEK: {}, MONTH: {} };

/**
 * The facts of a member from their cross-brand profile and the activity counted per period. Activity at a
 * partner the member does not share with does not count (the same consent rule as the profile).
 */
export function memberFacts(
  profile: Pick<CrossBrandProfile, 'tier' | 'composite' | 'affinities' | 'brandsActive'>,
  consentedPartners: readonly string[],
  activity: Record<ActivityPeriod, PartnerActivityCounts> = NO_ACTIVITY,
  segment: string | null = null,
): MemberFacts {
  return {
    tier: profile.tier.code,
    compositeScore: profile.composite.score,
    affinities: Object.fromEntries(profile.affinities.map((a) => [a.category, a.share])),
    brandsActive: [...profile.brandsActive],
    consentedPartners: [...consentedPartners],
    activity: sharedActivity(activity, consentedPartners),
    segment,
  };
}

/** Activity at the partners the member shares with only. */
export function sharedActivity(
  activity: Record<ActivityPeriod, PartnerActivityCounts>,
  consentedPartners: readonly string[],
): Record<ActivityPeriod, PartnerActivityCounts> {
  const consented = new Set(consentedPartners);
  const shared = (counts: PartnerActivityCounts): PartnerActivityCounts =>
    Object.fromEntries(Object.entries(counts).filter(([partner]) => consented.has(partner)));
  return { DAY: shared(activity.DAY), WEEK: shared(activity.WEEK), MONTH: shared(activity.MONTH) };
}

/** How many activities of a type the member had in the period, at one partner or at all of them. */
export function activityCount(
  facts: Pick<MemberFacts, 'activity'>,
  type: ActivityType,
  period: ActivityPeriod,
  partner?: string,
): number {
  const counts = facts.activity[period];
  const partners = partner ? [partner] : Object.keys(counts);
  return partners.reduce((sum, p) => sum + (counts[p]?.[type] ?? 0), 0);
}
