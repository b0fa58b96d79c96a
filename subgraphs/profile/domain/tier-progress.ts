import type { ScoringMetrics } from '../../shared/domain/composite-score.js';
import { COMPOSITE_WEIGHTS, computeCompositeScore } from '../../shared/domain/composite-score.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import type { TierBand, TierCode } from '../../shared/domain/tiers.js';
import { tierForScore } from '../../shared/domain/tiers.js';

export interface TierProgress {
  /** The tier the goal is measured from: the held tier, or the one the score qualifies for. */
  current: TierCode;
  /** The tier to reach (or, during a grace period, to keep); null at the top tier. */
  next: { code: TierCode; name: string; minScore: number } | null;
  score: number;
  /** Points of composite score still missing (0 when already enough). */
  scoreGap: number;
  /** Spend percentile (0-100) that would close the gap with activity and interaction as they are. */
  requiredSpendPercentile: number | null;
  /** Extra spend (minor units) that closes the gap on its own; null when spend alone cannot. */
  extraSpendMinor: number | null;
  hint: string;
}

export interface TierProgressOptions {
  /** The tier the member holds, when it differs from the score's (kept in a grace period). */
  heldTier?: TierCode;
  /** Where to suggest spending, e.g. the partner of the member's top affinity. */
  partnerName?: string;
}

/**
 * How far the member is from the next tier, and a concrete hint. The composite is
 *   S = 0.6·P_spend + 0.3·P_activity + 0.1·P_interaction   (docs/architecture.md §8; composite-score.ts),
 * so with activity and interaction held, the tier's minimum S* needs the spend percentile
 *   P*_spend = (S* − 0.3·P_activity − 0.1·P_interaction) / 0.6,
 * and the spend that reaches it is read off the population's spend quantiles. Rather than re-deriving the
 * interpolation, the spend is found by bisection on the scorer itself (the score is non-decreasing in
 * spend), so the hint can never disagree with the score the member will then get. Extra purchases also add
 * activity, so the figure is an upper bound.
 */
export function tierProgress(
  metrics: ScoringMetrics,
  model: PopulationModel,
  bands: readonly TierBand[],
  options: TierProgressOptions = {},
): TierProgress {
  const composite = computeCompositeScore(metrics, model);
  const sorted = [...bands].sort((a, b) => a.minScore - b.minScore);
  const qualified = tierForScore(composite.score, bands);
  const held = sorted.find((b) => b.code === options.heldTier);
  const keeping = !!held && held.minScore > qualified.minScore;
  const current = keeping ? held : qualified;
  const goal = keeping ? held : sorted.find((b) => b.minScore > qualified.minScore);
  if (!goal) {
    return {
      current: current.code,
      next: null,
      score: composite.score,
      scoreGap: 0,
      requiredSpendPercentile: null,
      extraSpendMinor: null,
      hint: `You are in the top tier, ${current.name}.`,
    };
  }
  const scoreGap = round1(Math.max(0, goal.minScore - composite.score));
  const requiredSpendPercentile = round1(
    (goal.minScore -
      COMPOSITE_WEIGHTS.activity * composite.activityPercentile -
      COMPOSITE_WEIGHTS.interaction * composite.interactionPercentile) /
      COMPOSITE_WEIGHTS.spend,
  );
  const extraSpendMinor = extraSpendToReach(metrics, model, goal.minScore);
  const verb = keeping ? 'keep' : 'reach';
  const where = options.partnerName ? ` at ${options.partnerName}` : ' at any partner';
  const hint =
    extraSpendMinor === null
      ? `Spend alone cannot ${verb} ${goal.name}: more activity (purchases, visits, reviews) at our partners will.`
      : `Spend about ¥${formatYuan(extraSpendMinor)} more${where} this quarter to ${verb} ${goal.name}.`;
  return {
    current: current.code,
    next: { code: goal.code, name: goal.name, minScore: goal.minScore },
    score: composite.score,
    scoreGap,
    requiredSpendPercentile: requiredSpendPercentile > 100 ? null : Math.max(0, requiredSpendPercentile),
    extraSpendMinor,
    hint,
  };
}

/** The least extra spend (minor units) after which the composite reaches `minScore`; null if none does. */
export function extraSpendToReach(
  metrics: ScoringMetrics,
  model: PopulationModel,
  minScore: number,
): number | null {
  const scoreAt = (spend: number) => computeCompositeScore({ ...metrics, spend }, model).score;
  if (scoreAt(metrics.spend) >= minScore) return 0;
  // Above the population's highest spend the spend percentile is 100; no more spend helps past that.
  let high = Math.max(metrics.spend, model.quantiles.spend[100]) + 1;
  if (scoreAt(high) < minScore) return null;
  let low = metrics.spend; // scoreAt(low) < minScore ≤ scoreAt(high)
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (scoreAt(mid) >= minScore) high = mid;
    else low = mid;
  }
  return high - metrics.spend;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Whole yuan, rounded up to the next ten so the hint is a round figure that is surely enough. */
function formatYuan(minor: number): string {
  return (Math.ceil(minor / 1000) * 10).toLocaleString('en-US');
}
