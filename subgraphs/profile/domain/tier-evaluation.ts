import type { TierBand, TierCode } from '../../shared/domain/tiers.js';
import { tierForScore } from '../../shared/domain/tiers.js';
import { evaluationPeriod } from './evaluation-period.js';

export type TierChange = 'initial' | 'upgrade' | 'downgrade' | 'grace' | 'recovered';

export interface TierHistoryEntry {
  at: string;
  period: string;
  from: TierCode | null;
  to: TierCode;
  score: number;
  change: TierChange;
  /** The frozen population model the score was computed against. */
  modelVersion: string | null;
}

/** A member's joint tier as stored between scheduled evaluations. */
export interface StoredTier {
  code: TierCode;
  /** When the member reached this tier. */
  since: string;
  evaluatedAt: string;
  period: string;
  score: number;
  modelVersion: string | null;
  /** While the score is below the tier: the first period it was, and the tier the score qualifies for. */
  grace: { sincePeriod: string; sincePeriodIndex: number; qualifiedFor: TierCode } | null;
  history: TierHistoryEntry[];
  /** The brands whose behaviour the last evaluation scored (consented then, with an account); absent in older records. */
  partners?: string[];
}

/**
 * The stored tier as it may be used today: not when it was scored from a brand the member no longer
 * consents to share (docs/architecture.md §7), so that a revocation leaves the tier at once, as it leaves
 * every other field of the profile; the live score over today's consented brands stands in until the next
 * evaluation scores without that brand.
 */
export function storedTierUnderConsent(
  stored: StoredTier | null,
  consentedPartners: readonly string[],
): StoredTier | null {
  if (!stored) return null;
  return (stored.partners ?? []).every((p) => consentedPartners.includes(p)) ? stored : null;
}

/**
 * The value segment training stored, while every brand it was computed from is still shared (the same rule
 * as the stored tier); null otherwise, until the next training.
 */
export function storedSegmentUnderConsent(
  stored: { label: string; partners: readonly string[] } | null | undefined,
  consentedPartners: readonly string[],
): string | null {
  if (!stored) return null;
  return stored.partners.every((p) => consentedPartners.includes(p)) ? stored.label : null;
}

export interface TierEvaluationOptions {
  now: Date;
  /** Evaluations a member may spend below their tier before moving down (docs/architecture.md §8: 1). */
  gracePeriods?: number;
  /** Length of an evaluation period in months (quarters unless said otherwise). */
  periodMonths?: number;
  modelVersion?: string | null;
}

export const DEFAULT_GRACE_PERIODS = 1;

/**
 * A scheduled tier evaluation against a frozen model (docs/architecture.md §8: "downgrade with a grace period"):
 * - a score that qualifies for a higher tier upgrades at once;
 * - a score below the tier starts a grace: the member keeps the tier through `gracePeriods` evaluation
 *   periods below it and moves down, straight to the tier the score qualifies for, at the next period
 *   still below; a score back at the tier's level ends the grace ("recovered");
 * - periods are calendar periods in the programme time zone, so running the evaluation twice in one period
 *   counts that period once, and a period the schedule missed still counts as time spent below.
 * Pure: returns the new stored tier, with the history entry (if any) appended and returned alone.
 */
export function evaluateTier(
  previous: StoredTier | null,
  score: number,
  bands: readonly TierBand[],
  options: TierEvaluationOptions,
): { tier: StoredTier; entry: TierHistoryEntry | null } {
  const gracePeriods = options.gracePeriods ?? DEFAULT_GRACE_PERIODS;
  if (!Number.isInteger(gracePeriods) || gracePeriods < 0) {
    throw new RangeError(`gracePeriods must be a whole number ≥ 0; got ${gracePeriods}`);
  }
  const period = evaluationPeriod(options.now, options.periodMonths);
  const at = options.now.toISOString();
  const modelVersion = options.modelVersion ?? null;
  const target = tierForScore(score, bands).code;
  const base = { evaluatedAt: at, period: period.key, score, modelVersion };
  const record = (tier: StoredTier, from: TierCode | null, change: TierChange) => {
    const entry: TierHistoryEntry = {
      at,
      period: period.key,
      from,
      to: tier.code,
      score,
      change,
      modelVersion,
    };
    return { tier: { ...tier, history: [...tier.history, entry] }, entry };
  };

  if (!previous) {
    return record({ code: target, since: at, ...base, grace: null, history: [] }, null, 'initial');
  }
  const rank = rankOf(bands);
  if (rank(target) > rank(previous.code)) {
    return record({ ...previous, ...base, code: target, since: at, grace: null }, previous.code, 'upgrade');
  }
  if (target === previous.code) {
    const kept = { ...previous, ...base, grace: null };
    return previous.grace ? record(kept, previous.code, 'recovered') : { tier: kept, entry: null };
  }
  const sincePeriodIndex = previous.grace?.sincePeriodIndex ?? period.index;
  const periodsBelow = period.index - sincePeriodIndex + 1;
  if (periodsBelow > gracePeriods) {
    return record({ ...previous, ...base, code: target, since: at, grace: null }, previous.code, 'downgrade');
  }
  const grace = {
    sincePeriod: previous.grace?.sincePeriod ?? period.key,
    sincePeriodIndex,
    qualifiedFor: target,
  };
  const kept = { ...previous, ...base, grace };
  return previous.grace ? { tier: kept, entry: null } : record(kept, previous.code, 'grace');
}

/** Higher tier, higher rank: bands are ordered by their minimum score. */
function rankOf(bands: readonly TierBand[]): (code: TierCode) => number {
  const byScore = new Map(bands.map((b) => [b.code, b.minScore]));
  return (code) => byScore.get(code) ?? Number.NEGATIVE_INFINITY;
}
