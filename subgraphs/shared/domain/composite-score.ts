import type { BrandBehaviour } from './behaviour.js';
import type { PopulationModel } from './population-model.js';
import { percentileRank } from './population-model.js';

/** Seed weights of the composite score (docs/architecture.md §8): 0.6·spend + 0.3·activity + 0.1·interaction. */
export const COMPOSITE_WEIGHTS = { spend: 0.6, activity: 0.3, interaction: 0.1 } as const;

export interface ScoringMetrics {
  /** Net spend in minor units across brands. */
  spend: number;
  /** Purchases plus browse sessions. */
  activity: number;
  /** Reviews, shares, comments, likes and referrals. */
  interaction: number;
}

export interface CompositeScore {
  score: number;
  spendPercentile: number;
  activityPercentile: number;
  interactionPercentile: number;
}

export function scoringMetrics(behaviours: readonly BrandBehaviour[]): ScoringMetrics {
  let spend = 0;
  let activity = 0;
  let interaction = 0;
  for (const b of behaviours) {
    spend += b.spendMinor;
    activity += b.purchaseCount + b.browseCount;
    interaction += b.interactionCount + b.referralCount;
  }
  return { spend, activity, interaction };
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Composite score 0-100: the weighted sum of three 0-100 population percentiles. */
export function computeCompositeScore(metrics: ScoringMetrics, model: PopulationModel): CompositeScore {
  const spendPercentile = percentileRank(metrics.spend, model.quantiles.spend);
  const activityPercentile = percentileRank(metrics.activity, model.quantiles.activity);
  const interactionPercentile = percentileRank(metrics.interaction, model.quantiles.interaction);
  const score =
    COMPOSITE_WEIGHTS.spend * spendPercentile +
    COMPOSITE_WEIGHTS.activity * activityPercentile +
    COMPOSITE_WEIGHTS.interaction * interactionPercentile;
  return {
    score: round1(score),
    spendPercentile: round1(spendPercentile),
    activityPercentile: round1(activityPercentile),
    interactionPercentile: round1(interactionPercentile),
  };
}
