import type { TierCode } from '../../../shared/domain/tiers.js';
import type { CatalogueBenefit } from '../match-benefit-bundle.js';
import type { RuleCondition } from './eligibility-rule.js';
import { evaluateRule } from './evaluate-rule.js';
import type { MemberFacts } from './member-facts.js';

export type RuledBenefit = CatalogueBenefit & { rule?: RuleCondition | null };

export interface EligibleCatalogue {
  benefits: CatalogueBenefit[];
  /** Why a benefit with a rule, or one a campaign or plan unlocked, is in the catalogue for this member. */
  notes: Map<string, string>;
  /** Benefits the member's paid plan includes: the bundle always holds them. */
  included: Set<string>;
}

/**
 * The catalogue as one member may be offered it: a benefit with a rule stays only if the member's facts
 * satisfy it (besides its tier list, which matching applies); a benefit a campaign unlocks for the member
 * is offered at their tier whatever its tier list says, and so is one their paid plan includes (by plan name).
 */
export async function eligibleCatalogue(
  catalogue: readonly RuledBenefit[],
  facts: MemberFacts,
  unlockedBy: ReadonlyMap<string, string>,
  includedByPlan: ReadonlyMap<string, string> = new Map(),
): Promise<EligibleCatalogue> {
  const notes = new Map<string, string>();
  const benefits: CatalogueBenefit[] = [];
  const included = new Set<string>();
  for (const { rule, ...benefit } of catalogue) {
    const plan = includedByPlan.get(benefit.code);
    if (plan) {
      benefits.push({
        ...benefit,
        eligibleTiers: [...new Set<TierCode>([...benefit.eligibleTiers, facts.tier])],
      });
      notes.set(benefit.code, `Included with your ${plan} membership.`);
      included.add(benefit.code);
      continue;
    }
    const campaign = unlockedBy.get(benefit.code);
    if (campaign) {
      benefits.push({
        ...benefit,
        eligibleTiers: [...new Set<TierCode>([...benefit.eligibleTiers, facts.tier])],
      });
      notes.set(benefit.code, `Unlocked for you by the campaign "${campaign}".`);
      continue;
    }
    if (!rule) {
      benefits.push(benefit);
      continue;
    }
    const outcome = await evaluateRule(rule, facts);
    if (!outcome.passed) continue;
    benefits.push(benefit);
    notes.set(benefit.code, `You qualify: ${outcome.reasons.join('; ')}.`);
  }
  return { benefits, notes, included };
}
