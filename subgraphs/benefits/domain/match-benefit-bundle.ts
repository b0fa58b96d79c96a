import type { CategoryAffinity } from '../../shared/domain/affinity.js';
import { affinityFor } from '../../shared/domain/affinity.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import type { EngagementEstimate } from './feedback/engagement-estimate.js';
import { describeEngagement } from './feedback/engagement-estimate.js';

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
/** A percentage discount is valued as if applied to a member's typical year of spend at the partner (minor units). */
const TYPICAL_ANNUAL_SPEND_MINOR = 200_000;

export function benefitValueMinor(benefit: CatalogueBenefit): number {
  if (benefit.valueMinor) return benefit.valueMinor;
  return Math.round(((benefit.percentOff ?? 0) / 100) * TYPICAL_ANNUAL_SPEND_MINOR);
}

/**
 * Score = affinity to the benefit's category (floored) × log-scaled value × the quality learned from
 * members' feedback in the tier (`engagement-estimate.ts`; 1 without feedback).
 */
export function scoreBenefit(
  benefit: CatalogueBenefit,
  affinities: readonly CategoryAffinity[],
  engagement?: EngagementEstimate,
): number {
  const affinity = Math.max(AFFINITY_FLOOR, affinityFor(affinities, benefit.category));
  return affinity * Math.log10(1 + benefitValueMinor(benefit)) * (engagement?.quality ?? 1);
}

function explain(
  benefit: CatalogueBenefit,
  tier: TierCode,
  affinities: readonly CategoryAffinity[],
  personalised: boolean,
  engagement: EngagementEstimate | undefined,
): string {
  const share = affinityFor(affinities, benefit.category);
  const interest =
    personalised && share > 0
      ? `matches your interest in ${benefit.category} (${Math.round(share * 100)}% of your activity)`
      : `widens your mix with ${benefit.category}`;
  const outcomes = describeEngagement(engagement);
  return `${tier} benefit from ${benefit.partner}; ${interest}.${outcomes ? ` ${outcomes}` : ''}`;
}

/**
 * Picks the bundle for a tier from the catalogue: tier-eligible benefits ranked by score, greedily taken under
 * the constraints (size by tier, at most `MAX_PER_PARTNER` per partner, one per exclusivity group), then, when
 * the catalogue allows, swaps the weakest item for the best one of another partner so at least two partners
 * appear. With `personalised: false` every category counts the same (the non-personalised option). Feedback
 * (`engagement`) re-ranks within the same rules and is named in the reason once there is enough of it.
 */
interface RankedBenefit {
  benefit: CatalogueBenefit;
  score: number;
}

/** Takes benefits in rank order while they fit: at most MAX_PER_PARTNER per partner, one per exclusivity group. */
function fillGreedily(
  ranked: readonly RankedBenefit[],
  size: number,
  seeded: readonly RankedBenefit[],
): RankedBenefit[] {
  const chosen: RankedBenefit[] = [];
  const perPartner = new Map<string, number>();
  const groups = new Set<string>();
  const fits = (b: CatalogueBenefit): boolean =>
    (perPartner.get(b.partner) ?? 0) < MAX_PER_PARTNER &&
    !(b.exclusivityGroup && groups.has(b.exclusivityGroup));
  for (const item of [...seeded, ...ranked]) {
    if (chosen.length >= size) break;
    if (chosen.includes(item) || !fits(item.benefit)) continue;
    chosen.push(item);
    perPartner.set(item.benefit.partner, (perPartner.get(item.benefit.partner) ?? 0) + 1);
    if (item.benefit.exclusivityGroup) groups.add(item.benefit.exclusivityGroup);
  }
  return chosen;
}

export function matchBenefitBundle(
  catalogue: readonly CatalogueBenefit[],
  tier: TierCode,
  affinities: readonly CategoryAffinity[],
  options: {
    personalised?: boolean;
    /** What members of the tier did with each benefit (by code); without it, affinity × value alone. */
    engagement?: ReadonlyMap<string, EngagementEstimate>;
    /** Codes taken first, before the ranking fills the rest (a paid plan's benefits), within the same rules. */
    reserved?: ReadonlySet<string>;
  } = {},
): BundleItem[] {
  const personalised = options.personalised ?? true;
  const scoringAffinities = personalised ? affinities : [];
  const engagement = options.engagement ?? new Map<string, EngagementEstimate>();
  const ranked: RankedBenefit[] = catalogue
    .filter((b) => b.eligibleTiers.includes(tier))
    .map((benefit) => ({
      benefit,
      score: scoreBenefit(benefit, scoringAffinities, engagement.get(benefit.code)),
    }))
    .sort((a, b) => b.score - a.score || a.benefit.code.localeCompare(b.benefit.code));

  const size = BUNDLE_SIZE[tier];
  const reserved = ranked.filter((item) => options.reserved?.has(item.benefit.code));
  let chosen = fillGreedily(ranked, size, reserved);
  const partnersIn = (items: readonly RankedBenefit[]) => new Set(items.map((i) => i.benefit.partner)).size;
  if (partnersIn(chosen) === 1) {
    // Reserve a place for the best benefit of another partner, then fill the rest the same way.
    const only = chosen[0].benefit.partner;
    for (const other of ranked.filter((item) => item.benefit.partner !== only)) {
      const attempt = fillGreedily(ranked, size, [...reserved, other]);
      if (partnersIn(attempt) >= 2) {
        chosen = attempt;
        break;
      }
    }
  }

  return chosen
    .sort((a, b) => b.score - a.score)
    .map(({ benefit, score }) => ({
      benefit,
      score: Math.round(score * 1000) / 1000,
      reason: explain(benefit, tier, affinities, personalised, engagement.get(benefit.code)),
    }));
}
