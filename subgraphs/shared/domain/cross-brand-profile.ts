import type { CategoryAffinity } from './affinity.js';
import { computeCategoryAffinities } from './affinity.js';
import type { BrandBehaviour } from './behaviour.js';
import { partnerFieldNames } from '../sdl/partner-field-names.js';
import type { CompositeScore } from './composite-score.js';
import { computeCompositeScore, scoringMetrics } from './composite-score.js';
import type { PopulationModel } from './population-model.js';
import type { TierBand, TierCode } from './tiers.js';
import { DEFAULT_TIER_BANDS, tierForScore } from './tiers.js';

export interface WalletShare {
  partner: string;
  share: number;
}

export interface CrossBrandProfile {
  affinities: CategoryAffinity[];
  interestTags: string[];
  composite: CompositeScore;
  tier: TierBand;
  brandsActive: string[];
  shareOfWallet: WalletShare[];
  explanation: string[];
  modelVersion: string;
  /** Consented partners whose behaviour could not be read for this answer (their subgraph did not answer). */
  unavailablePartners: string[];
}

/** A category becomes an interest tag once it holds this share of the member's affinity. */
export const INTEREST_TAG_MIN_SHARE = 0.15;

/**
 * Consented partners whose behaviour is missing: brand subgraphs answer an empty summary for a member
 * without an account, so a missing one means the brand could not be asked.
 */
export function unavailablePartners(
  behaviours: readonly (BrandBehaviour | null | undefined)[],
  partners: readonly string[],
  consentedPartners: readonly string[],
): string[] {
  return partners.filter((partner, i) => consentedPartners.includes(partner) && !behaviours[i]);
}

/** Only brands the member consented to share with may shape the profile (PIPL art. 23, docs/architecture.md §7). */
export function consentedBehaviours(
  behaviours: readonly (BrandBehaviour | null | undefined)[],
  consentedPartners: readonly string[],
): BrandBehaviour[] {
  const consented = new Set(consentedPartners);
  return behaviours.filter((b): b is BrandBehaviour => !!b && consented.has(b.partner));
}

function isActive(b: BrandBehaviour): boolean {
  return b.purchaseCount + b.browseCount + b.interactionCount + b.referralCount > 0;
}

export function computeShareOfWallet(behaviours: readonly BrandBehaviour[]): WalletShare[] {
  const total = behaviours.reduce((sum, b) => sum + Math.max(0, b.spendMinor), 0);
  if (total === 0) return [];
  return behaviours
    .filter((b) => b.spendMinor > 0)
    .map((b) => ({ partner: b.partner, share: b.spendMinor / total }))
    .sort((a, b) => b.share - a.share || a.partner.localeCompare(b.partner));
}

export function deriveInterestTags(
  affinities: readonly CategoryAffinity[],
  behaviours: readonly BrandBehaviour[],
): string[] {
  const tags: string[] = affinities.filter((a) => a.share >= INTEREST_TAG_MIN_SHARE).map((a) => a.category);
  const interactions = behaviours.reduce((sum, b) => sum + b.interactionCount, 0);
  const referrals = behaviours.reduce((sum, b) => sum + b.referralCount, 0);
  if (interactions >= 5) tags.push('active-reviewer');
  if (referrals > 0) tags.push('referrer');
  if (behaviours.filter(isActive).length >= 3) tags.push('multi-brand');
  return tags;
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * The member's joint tier and the sentence that explains it. With a stored tier (the scheduled evaluation's,
 * docs/architecture.md §8) that tier holds between evaluations whatever today's score says: a higher score
 * applies at the next evaluation, a lower one only after the grace period. Without one (a member the
 * evaluation has not seen yet) the tier is the live score's.
 */
export function jointTier(
  score: number,
  storedTier: TierCode | null | undefined,
  bands: readonly TierBand[] = DEFAULT_TIER_BANDS,
): { tier: TierBand; explanation: string } {
  const live = tierForScore(score, bands);
  const stored = storedTier ? bands.find((b) => b.code === storedTier) : undefined;
  if (!stored) {
    return {
      tier: live,
      explanation: `Tier ${live.code}: the score reaches the ${live.code} threshold of ${live.minScore}.`,
    };
  }
  const held = `Tier ${stored.code}, as the last scheduled tier evaluation stored it`;
  if (live.code === stored.code) {
    return {
      tier: stored,
      explanation: `${held}; today's score still reaches its threshold of ${stored.minScore}.`,
    };
  }
  return {
    tier: stored,
    explanation:
      live.minScore < stored.minScore
        ? `${held}; today's score ${score} is below its threshold of ${stored.minScore}, and a tier moves down only after a grace period of evaluations below it.`
        : `${held}; today's score ${score} reaches ${live.code} (${live.minScore}), which applies at the next evaluation.`,
  };
}

/**
 * The cross-brand profile of one member from the behaviour of the brands they consented to share. Both the
 * profile and the benefits subgraph call this, so they always agree on tier and affinities.
 */
export function computeCrossBrandProfile(
  behaviours: readonly BrandBehaviour[],
  model: PopulationModel,
  bands: readonly TierBand[] = DEFAULT_TIER_BANDS,
  unavailable: readonly string[] = [],
  storedTier: TierCode | null = null,
): CrossBrandProfile {
  const affinities = computeCategoryAffinities(behaviours);
  const composite = computeCompositeScore(scoringMetrics(behaviours), model);
  const { tier, explanation: tierExplanation } = jointTier(composite.score, storedTier, bands);
  const brandsActive = behaviours
    .filter(isActive)
    .map((b) => b.partner)
    .sort();
  const explanation = [
    `Composite score ${composite.score} = 0.6 × spend percentile ${composite.spendPercentile} + 0.3 × activity percentile ${composite.activityPercentile} + 0.1 × interaction percentile ${composite.interactionPercentile} (population model ${model.version}).`,
    tierExplanation,
    brandsActive.length > 0
      ? `Built from your activity at ${brandsActive.join(', ')} over the last ${behaviours[0]?.windowDays ?? 365} days; only brands you consented to share with count.`
      : 'No activity at a brand you consented to share with yet.',
  ];
  if (unavailable.length > 0) {
    explanation.push(
      storedTier
        ? `Not included in this answer: ${unavailable.join(', ')} did not answer just now, so the score may be lower than usual (the tier is the stored one); ask again shortly.`
        : `Not included in this answer: ${unavailable.join(', ')} did not answer just now, so the score and tier may be lower than usual; ask again shortly.`,
    );
  }
  if (affinities.length > 0) {
    explanation.push(
      `Strongest interest: ${affinities[0].category} (${percent(affinities[0].share)} of your recent spend and browsing).`,
    );
  }
  return {
    affinities,
    interestTags: deriveInterestTags(affinities, behaviours),
    composite,
    tier,
    brandsActive,
    shareOfWallet: computeShareOfWallet(behaviours),
    explanation,
    modelVersion: model.version,
    unavailablePartners: [...unavailable],
  };
}

/** The behaviour summaries a `@requires` representation carries, in registry order. */
export function requiredBehaviours(
  representation: Record<string, unknown>,
  partners: readonly string[],
): (BrandBehaviour | null | undefined)[] {
  return partners.map(
    (partner) => representation[partnerFieldNames(partner).behaviour] as BrandBehaviour | null | undefined,
  );
}

/**
 * The profile from a member's required inputs: what the profile and the benefits subgraphs both call, so
 * that they agree on the tier even when a brand did not answer. `storedTier` is the tier the scheduled
 * evaluation stored (`Member.storedTier`), which both subgraphs read from the profile database.
 */
export function crossBrandProfileFromInputs(
  behaviours: readonly (BrandBehaviour | null | undefined)[],
  partners: readonly string[],
  consentedPartners: readonly string[],
  model: PopulationModel,
  storedTier: TierCode | null = null,
): CrossBrandProfile {
  return computeCrossBrandProfile(
    consentedBehaviours(behaviours, consentedPartners),
    model,
    DEFAULT_TIER_BANDS,
    unavailablePartners(behaviours, partners, consentedPartners),
    storedTier,
  );
}
