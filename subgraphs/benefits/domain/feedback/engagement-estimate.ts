import type { FeedbackCounts } from './benefit-feedback.js';
import { averageRating } from './benefit-feedback.js';

/**
 * Engagement learned from outcomes, by Beta-Binomial (Bayesian) smoothing, per benefit and tier.
 *
 * The tier's prior rate pools every benefit of the tier, itself shrunk towards a programme default:
 *   m₀ = (E_tier + K_TIER · DEFAULT_RATE) / (S_tier + K_TIER)
 * A benefit's rate is its members engaged (clicked or redeemed) over members shown, shrunk towards m₀ with
 * the weight of K members (the mean of the Beta(K·m₀ + e, K·(1 − m₀) + s − e) posterior):
 *   r = (e + K · m₀) / (s + K)
 * Satisfaction is the mean rating shrunk towards the neutral 3 with the weight of K_RATING ratings:
 *   q = (Σ ratings + K_RATING · 3) / (n + K_RATING)
 * Matching multiplies a benefit's affinity score by quality = (r / m₀) · (q / 3): exactly 1 for a benefit
 * without feedback (ranked as before), above 1 for one members of the tier take up or rate more than the
 * rest, below 1 for one they pass over or rate poorly. A handful of answers moves it little; hundreds
 * decide it.
 */
export const DEFAULT_RATE = 0.1;
export const K_TIER = 20;
export const K = 20;
export const K_RATING = 5;
export const NEUTRAL_RATING = 3;

export interface EngagementEstimate {
  /** The smoothed engagement rate r. */
  rate: number;
  /** The tier's prior rate m₀. */
  prior: number;
  /** The smoothed mean rating q. */
  satisfaction: number;
  /** (r / m₀) · (q / 3): the factor the benefit's score is multiplied by. */
  quality: number;
  shown: number;
  engaged: number;
  ratings: number;
  /** The plain mean rating, or null without ratings. */
  averageRating: number | null;
}

/** The tier's prior rate m₀ from the counts of all its benefits. */
export function tierPriorRate(counts: readonly Pick<FeedbackCounts, 'shown' | 'engaged'>[]): number {
  const shown = counts.reduce((s, c) => s + c.shown, 0);
  const engaged = counts.reduce((s, c) => s + c.engaged, 0);
  return (engaged + K_TIER * DEFAULT_RATE) / (shown + K_TIER);
}

export function engagementEstimate(counts: FeedbackCounts, prior: number): EngagementEstimate {
  const rate = (counts.engaged + K * prior) / (counts.shown + K);
  const satisfaction = (counts.ratingSum + K_RATING * NEUTRAL_RATING) / (counts.ratings + K_RATING);
  return {
    rate,
    prior,
    satisfaction,
    quality: (rate / prior) * (satisfaction / NEUTRAL_RATING),
    shown: counts.shown,
    engaged: counts.engaged,
    ratings: counts.ratings,
    averageRating: averageRating(counts),
  };
}

/** Estimates for every benefit of a tier with feedback, keyed by benefit code. */
export function engagementByBenefit(
  countsByBenefit: ReadonlyMap<string, FeedbackCounts>,
): Map<string, EngagementEstimate> {
  const prior = tierPriorRate([...countsByBenefit.values()]);
  return new Map([...countsByBenefit].map(([code, counts]) => [code, engagementEstimate(counts, prior)]));
}

/** Members shown a benefit in a tier before its rate is quoted in a reason. */
export const QUOTED_AFTER_SHOWN = 10;
/** Ratings before a benefit's mean rating is quoted in a reason. */
export const QUOTED_AFTER_RATINGS = 3;

/** Why the outcomes moved a benefit, for the bundle's reason; null while there is too little to say. */
export function describeEngagement(estimate: EngagementEstimate | undefined): string | null {
  if (!estimate) return null;
  const parts: string[] = [];
  if (estimate.shown >= QUOTED_AFTER_SHOWN) {
    parts.push(
      `${Math.round((estimate.engaged / estimate.shown) * 100)}% of ${estimate.shown} members of your tier shown it took it up`,
    );
  }
  if (estimate.ratings >= QUOTED_AFTER_RATINGS && estimate.averageRating !== null) {
    parts.push(`rated ${estimate.averageRating.toFixed(1)}/5 by ${estimate.ratings} members`);
  }
  return parts.length > 0 ? `${parts.join('; ')}.` : null;
}
