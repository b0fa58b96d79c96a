import type { TierCode } from '../../../shared/domain/tiers.js';
import type { CatalogueBenefit } from '../match-benefit-bundle.js';
import type { RuleCondition } from './eligibility-rule.js';
import { evaluateRule } from './evaluate-rule.js';
import type { MemberFacts } from './member-facts.js';

export type RuledBenefit = CatalogueBenefit & { rule?: RuleCondition | null };

export interface EligibleCatalogue {
  benefits: CatalogueBenefit[];
  /** Why a benefit with a rule, or one a campaign unlocked, is in the catalogue for this member. */
  notes: Map<string, string>;
}

/**
 * The catalogue as one member may be offered it: a benefit with a rule stays only if the member's facts
 * satisfy it (besides its tier list, which matching applies); a benefit a campaign unlocks for the member
 * is offered at their tier whatever its tier list says.
 */
export async function eligibleCatalogue(
  catalogue: readonly RuledBenefit[],
  facts: MemberFacts,
  unlockedBy: ReadonlyMap<string, string>,
): Promise<EligibleCatalogue> {
  const notes = new Map<string, string>();
  const benefits: CatalogueBenefit[] = [];
  for (const { rule, ...benefit } of catalogue) {
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
  return { benefits, notes };
}
