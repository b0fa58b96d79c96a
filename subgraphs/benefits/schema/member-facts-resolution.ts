import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { CrossBrandProfile } from '../../shared/domain/cross-brand-profile.js';
import { crossBrandProfilesOf } from '../../shared/cache/cross-brand-profiles.js';
import { requiredBehaviours } from '../../shared/domain/cross-brand-profile.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import type { BenefitsContext } from '../context.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import { campaignRunsAt } from '../domain/campaigns/campaign-window.js';
import { inControlGroup } from '../domain/campaigns/control-group.js';
import type { RuleOutcome } from '../domain/eligibility/evaluate-rule.js';
import { evaluateRule } from '../domain/eligibility/evaluate-rule.js';
import type { MemberFacts } from '../domain/eligibility/member-facts.js';
import { memberFacts } from '../domain/eligibility/member-facts.js';

export type MemberRepresentation = {
  id: string;
  consentedPartners?: string[];
  personalisationPartners?: string[];
  /** The tier the scheduled evaluation stored (profile subgraph); null before the member's first. */
  storedTier?: TierCode | null;
  /** The value segment's label as of the last training (profile subgraph); null without one. */
  storedSegment?: string | null;
} & Record<string, unknown>;

/**
 * A member's profile and rule facts from their required inputs (the same pure functions as the profile
 * subgraph, with the same stored tier) and the activity this subgraph counted. The facts are remembered, so that campaigns can judge
 * the member's later events on them.
 */
export async function resolveMemberFacts(
  member: MemberRepresentation,
  deps: { registry: PartnerRegistry; model: PopulationModel },
  ctx: BenefitsContext,
  now: Date,
): Promise<{ profile: CrossBrandProfile; facts: MemberFacts }> {
  const partners = deps.registry.partners.map((p) => p.key);
  const consented = member.consentedPartners ?? [];
  // Computed once per fingerprint of its inputs in this process: the profile subgraph's answer to the same
  // request is the same object.
  const { profile } = crossBrandProfilesOf(deps.model).profileOf({
    behaviours: requiredBehaviours(member, partners),
    partners,
    consentedPartners: consented,
    storedTier: member.storedTier ?? null,
  });
  const activity = await ctx.campaigns.counters.periods(member.id, now);
  const facts = memberFacts(profile, consented, activity, member.storedSegment ?? null);
  await ctx.campaigns.facts.remember(member.id, facts, now);
  return { profile, facts };
}

export interface QualifyingCampaign {
  campaign: Campaign;
  outcome: RuleOutcome;
}

/**
 * The campaigns running now whose audience the member is in, outside their control group (a member held
 * out is not shown the offer either, or the comparison would be spoiled).
 */
export async function qualifyingCampaigns(
  memberId: string,
  facts: MemberFacts,
  ctx: BenefitsContext,
  now: Date,
): Promise<QualifyingCampaign[]> {
  const running = (await ctx.campaigns.store.runningAt(now)).filter(
    (c) => c.status !== 'ENDED' && campaignRunsAt(c, now, ctx.campaigns.calendar),
  );
  const qualifying: QualifyingCampaign[] = [];
  for (const campaign of running) {
    if (inControlGroup(campaign.id, memberId, campaign.controlShare)) continue;
    const outcome = campaign.audience
      ? await evaluateRule(campaign.audience, facts)
      : { passed: true, reasons: [] };
    if (outcome.passed) qualifying.push({ campaign, outcome });
  }
  return qualifying.sort(
    (a, b) => b.campaign.priority - a.campaign.priority || a.campaign.id.localeCompare(b.campaign.id),
  );
}
