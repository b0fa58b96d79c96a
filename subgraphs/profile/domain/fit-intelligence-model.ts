import { createHash } from 'node:crypto';
import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import { BEHAVIOUR_WINDOW_DAYS } from '../../shared/domain/behaviour.js';
import { fitBgNbd } from './bg-nbd.js';
import { AT_RISK_PROBABILITY_ALIVE, assessChurnRisk, highValueThreshold } from './churn-risk.js';
import { fitGammaGamma } from './gamma-gamma.js';
import type {
  IntelligenceModel,
  LifetimeValueFit,
  MemberChurnScore,
  PartnerPurchaseDays,
} from './intelligence-model.js';
import { itemActivityFromBehaviours } from './item-activity.js';
import { buildItemPopularity } from './item-popularity.js';
import { trainItemSimilarity } from './item-similarity.js';
import { jointPurchaseHistory } from './member-intelligence.js';
import { bgNbdProbabilityAlive } from './bg-nbd.js';
import { buildRfmModel, rfmInputFromBehaviours, scoreRfm } from './rfm-scores.js';
import type { RfmSegment } from './rfm-segments.js';
import { RFM_SEGMENTS } from './rfm-segments.js';
import { assignSegment, fitValueSegments, valueFeaturesFromBehaviours } from './value-segments.js';

/** One member as training reads them: only the brands they consented to share. */
export interface MemberTrainingRow {
  memberId: string;
  behaviours: BrandBehaviour[];
  purchaseDays: PartnerPurchaseDays[];
}

export interface FitIntelligenceOptions {
  now: Date;
  seed: number;
  /** Discount rate per month of the 12-month CLV (1% a month, about 12.7% a year, unless said otherwise). */
  monthlyDiscountRate?: number;
  currency?: string;
  /** Called as each model is fitted, for progress. */
  onStep?: (step: string) => void;
}

/** Repeat buyers below which BG/NBD and Gamma-Gamma are not fitted: too few to estimate four parameters. */
export const MIN_REPEAT_BUYERS = 10;
/** BG/NBD is fitted in weeks, the unit of Fader, Hardie & Lee 2005. */
export const LTV_TIME_UNIT_DAYS = 7;

/**
 * Fits every population-level model on the members' consented behaviour: RFM breakpoints and segment sizes,
 * value segments by k-means, BG/NBD and Gamma-Gamma, the churn lines, item similarities and popularity by
 * value segment. Members are taken in id order, so the result depends on the data, `now` and the seed only.
 */
export function fitIntelligenceModel(
  input: readonly MemberTrainingRow[],
  options: FitIntelligenceOptions,
): { model: IntelligenceModel; churnScores: MemberChurnScore[] } {
  const step = options.onStep ?? (() => undefined);
  const now = options.now;
  const rows = [...input].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  if (rows.length === 0) throw new RangeError('Cannot train on no members: run `npm run seed` first.');

  step('RFM breakpoints');
  const rfmInputs = rows.map((r) => rfmInputFromBehaviours(r.behaviours, now));
  const rfm = buildRfmModel(rfmInputs);
  const rfmSegmentSizes = Object.fromEntries(Object.keys(RFM_SEGMENTS).map((s) => [s, 0])) as Record<
    RfmSegment,
    number
  >;
  for (const input of rfmInputs) {
    const scores = scoreRfm(input, rfm);
    if (scores) rfmSegmentSizes[scores.segment] += 1;
  }

  step('value segments (k-means, k by silhouette)');
  const features = rows.map((r) => valueFeaturesFromBehaviours(r.behaviours, now));
  const valueSegments = fitValueSegments(features, { seed: options.seed, windowDays: BEHAVIOUR_WINDOW_DAYS });
  const segmentLabels = features.map((f) => assignSegment(valueSegments, f).label);

  step('lifetime value (BG/NBD, Gamma-Gamma)');
  const histories = rows.map((r) => jointPurchaseHistory(r.purchaseDays, now, LTV_TIME_UNIT_DAYS));
  const lifetimeValue = fitLifetimeValue(
    // A member whose first purchase is today has been observed for no time (T = 0): the BG/NBD likelihood
    // is undefined for them and they tell it nothing, so they are left out of the fit (not of scoring).
    histories.filter((h): h is NonNullable<typeof h> => h !== null && h.T > 0),
    options.monthlyDiscountRate ?? 0.01,
    options.currency ?? 'CNY',
  );

  step('churn');
  const spends = rfmInputs.filter((m) => m.frequency > 0).map((m) => m.monetaryMinor);
  const thresholds = {
    atRiskBelow: AT_RISK_PROBABILITY_ALIVE,
    highValueMinMinor: highValueThreshold(spends),
  };
  const churnScores: MemberChurnScore[] = [];
  rows.forEach((row, i) => {
    const history = histories[i];
    if (!history || !lifetimeValue) return;
    const risk = assessChurnRisk(
      {
        probabilityAlive: bgNbdProbabilityAlive(lifetimeValue.model.bgNbd, history),
        spendMinor: rfmInputs[i].monetaryMinor,
      },
      thresholds,
    );
    churnScores.push({
      memberId: row.memberId,
      probabilityAlive: risk.probabilityAlive,
      spendMinor: rfmInputs[i].monetaryMinor,
      valueAtRiskMinor: risk.valueAtRiskMinor,
      highValueAtRisk: risk.highValueAtRisk,
    });
  });

  step('item similarities and popularity by segment');
  const activities = rows.map((r) => itemActivityFromBehaviours(r.behaviours));
  const similarity = trainItemSimilarity(activities);
  const popularity = buildItemPopularity(
    activities.map((activity, i) => ({
      segment: segmentLabels[i],
      purchased: new Set([...activity].filter(([, a]) => a.purchases > 0).map(([item]) => item)),
    })),
  );

  const body: Omit<IntelligenceModel, 'version'> = {
    asOf: now.toISOString(),
    seed: options.seed,
    windowDays: BEHAVIOUR_WINDOW_DAYS,
    members: rows.length,
    rfm,
    rfmSegmentSizes,
    valueSegments,
    lifetimeValue,
    churn: {
      ...thresholds,
      // No purchaser at all: nobody is high value (Infinity does not survive JSON).
      highValueMinMinor: Number.isFinite(thresholds.highValueMinMinor)
        ? thresholds.highValueMinMinor
        : Number.MAX_SAFE_INTEGER,
      highValueAtRisk: churnScores.filter((c) => c.highValueAtRisk).length,
    },
    recommendations: { similarity, popularity },
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  return { model: { version: `intelligence-${digest}`, ...body }, churnScores };
}

function fitLifetimeValue(
  histories: readonly NonNullable<ReturnType<typeof jointPurchaseHistory>>[],
  monthlyDiscountRate: number,
  currency: string,
): LifetimeValueFit | null {
  if (histories.filter((h) => h.frequency > 0).length < MIN_REPEAT_BUYERS) return null;
  const bgNbd = fitBgNbd(histories);
  const gammaGamma = fitGammaGamma(histories);
  // q ≤ 1 gives an infinite mean order value: the data does not support a spend model.
  if (!(gammaGamma.params.q > 1)) return null;
  return {
    model: { bgNbd: bgNbd.params, gammaGamma: gammaGamma.params, timeUnitDays: LTV_TIME_UNIT_DAYS },
    monthlyDiscountRate,
    currency,
    bgNbd: { logLikelihood: bgNbd.logLikelihood, customers: bgNbd.customers, converged: bgNbd.converged },
    gammaGamma: {
      logLikelihood: gammaGamma.logLikelihood,
      customers: gammaGamma.customers,
      converged: gammaGamma.converged,
    },
  };
}
