import type { CategoryAffinity } from '../../shared/domain/affinity.js';
import { affinityFor } from '../../shared/domain/affinity.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { TierCode } from '../../shared/domain/tiers.js';

export interface CatalogueBenefit {
  code: string;
  partner: string;
  title: string;
  type: string;
  category: JointCategory;
  eligibleTiers: TierCode[];
  valueMinor?: number | null;
  percentOff?: number | null;
  exclusivityGroup?: string | null;
}

export interface BundleItem {
  benefit: CatalogueBenefit;
  score: number;
  reason: string;
}

/** Bundle size by tier: higher tiers get more benefits. */
export const BUNDLE_SIZE: Record<TierCode, number> = { DIAMOND: 6, GOLD: 5, CLASSIC: 4, BASIC: 3 };
/** At most this many items from one partner, so a bundle is a cross-brand offer. */
export const MAX_PER_PARTNER = 2;
/** Categories the member never touched still get a small chance, so a bundle is never empty of discovery. */
const AFFINITY_FLOOR = 0.05;
/** A percentage discount is valued as if applied to a typical basket of this size (minor units). */
const TYPICAL_BASKET_MINOR = 20_000;

export function benefitValueMinor(benefit: CatalogueBenefit): number {
  if (benefit.valueMinor) return benefit.valueMinor;
  return Math.round(((benefit.percentOff ?? 0) / 100) * TYPICAL_BASKET_MINOR * 10);
}

/** Score = affinity to the benefit's category (floored) × log-scaled value. */
export function scoreBenefit(benefit: CatalogueBenefit, affinities: readonly CategoryAffinity[]): number {
  const affinity = Math.max(AFFINITY_FLOOR, affinityFor(affinities, benefit.category));
  return affinity * Math.log10(1 + benefitValueMinor(benefit));
}

function explain(benefit: CatalogueBenefit, tier: TierCode, affinities: readonly CategoryAffinity[], personalised: boolean): string {
  const share = affinityFor(affinities, benefit.category);
  const interest =
    personalised && share > 0
      ? `matches your interest in ${benefit.category} (${Math.round(share * 100)}% of your activity)`
      : `widens your mix with ${benefit.category}`;
  return `${tier} benefit from ${benefit.partner}; ${interest}.`;
}

/**
 * Picks the bundle for a tier from the catalogue: tier-eligible benefits ranked by score, greedily taken under
 * the constraints (size by tier, at most `MAX_PER_PARTNER` per partner, one per exclusivity group), then, when
 * the catalogue allows, swaps the weakest item for the best one of another partner so at least two partners
 * appear. With `personalised: false` every category counts the same (the non-personalised option).
 */
export function matchBenefitBundle(
  catalogue: readonly CatalogueBenefit[],
  tier: TierCode,
  affinities: readonly CategoryAffinity[],
  options: { personalised?: boolean } = {},
): BundleItem[] {
  const personalised = options.personalised ?? true;
  const scoringAffinities = personalised ? affinities : [];
  const ranked = catalogue
    .filter((b) => b.eligibleTiers.includes(tier))
    .map((benefit) => ({ benefit, score: scoreBenefit(benefit, scoringAffinities) }))
    .sort((a, b) => b.score - a.score || a.benefit.code.localeCompare(b.benefit.code));

  const size = BUNDLE_SIZE[tier];
  const chosen: typeof ranked = [];
  const perPartner = new Map<string, number>();
  const groups = new Set<string>();
  const fits = (b: CatalogueBenefit): boolean =>
    (perPartner.get(b.partner) ?? 0) < MAX_PER_PARTNER && !(b.exclusivityGroup && groups.has(b.exclusivityGroup));
  const take = (item: (typeof ranked)[number]): void => {
    chosen.push(item);
    perPartner.set(item.benefit.partner, (perPartner.get(item.benefit.partner) ?? 0) + 1);
    if (item.benefit.exclusivityGroup) groups.add(item.benefit.exclusivityGroup);
  };
  for (const item of ranked) {
    if (chosen.length >= size) break;
    if (fits(item.benefit)) take(item);
  }

  if (perPartner.size === 1 && chosen.length > 0) {
    const only = chosen[0].benefit.partner;
    const other = ranked.find((item) => item.benefit.partner !== only && fits(item.benefit));
    if (other) {
      if (chosen.length >= size) chosen.pop();
      take(other);
    }
  }

  return chosen
    .sort((a, b) => b.score - a.score)
    .map(({ benefit, score }) => ({
      benefit,
      score: Math.round(score * 1000) / 1000,
      reason: explain(benefit, tier, affinities, personalised),
    }));
}
