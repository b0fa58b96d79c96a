import { computeCompositeScore, scoringMetrics } from '../../shared/domain/composite-score.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import type { TierBand } from '../../shared/domain/tiers.js';
import { DEFAULT_TIER_BANDS } from '../../shared/domain/tiers.js';
import type { TierStore } from '../data/tier-store.js';
import type { MemberTrainingRow } from '../domain/fit-intelligence-model.js';
import type { TierChange } from '../domain/tier-evaluation.js';
import { DEFAULT_GRACE_PERIODS, evaluateTier } from '../domain/tier-evaluation.js';

export interface TierEvaluationSettings {
  store: TierStore;
  /** The frozen population model the scores are taken against (the one the services load). */
  populationModel: PopulationModel;
  bands?: readonly TierBand[];
  /** Evaluation period in months: 1 (monthly) unless said otherwise. */
  periodMonths?: number;
  gracePeriods?: number;
}

export interface TierEvaluationSummary {
  evaluated: number;
  period: string;
  changes: Record<TierChange, number>;
}

const BATCH = 500;

/**
 * The scheduled tier evaluation: each member's composite score over the consented brands, against the frozen
 * population model, through `evaluateTier` (upgrade at once, downgrade after the grace period), stored with
 * its history. Evaluating twice in one period counts the period once, so the schedule may run it freely.
 */
export async function evaluateMemberTiers(
  rows: readonly MemberTrainingRow[],
  settings: TierEvaluationSettings,
  now: Date,
  progress: (line: string) => void,
): Promise<TierEvaluationSummary> {
  const changes: Record<TierChange, number> = {
    initial: 0,
    upgrade: 0,
    downgrade: 0,
    grace: 0,
    recovered: 0,
  };
  let period = '';
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const previous = await settings.store.tiersOf(batch.map((r) => r.memberId));
    const evaluated = batch.map((row) => {
      const before = previous.get(row.memberId) ?? null;
      const score = computeCompositeScore(scoringMetrics(row.behaviours), settings.populationModel).score;
      const { tier, entry } = evaluateTier(before, score, settings.bands ?? DEFAULT_TIER_BANDS, {
        now,
        periodMonths: settings.periodMonths ?? 1,
        gracePeriods: settings.gracePeriods ?? DEFAULT_GRACE_PERIODS,
        modelVersion: settings.populationModel.version,
      });
      if (entry) changes[entry.change] += 1;
      period = tier.period;
      const partners = row.behaviours.map((b) => b.partner).sort();
      return {
        memberId: row.memberId,
        previousEvaluatedAt: before?.evaluatedAt ?? null,
        tier: { ...tier, partners },
      };
    });
    await settings.store.save(evaluated);
    progress(`tiers evaluated: ${Math.min(i + batch.length, rows.length)}/${rows.length}`);
  }
  return { evaluated: rows.length, period, changes };
}
