import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import { bgNbdConditionalExpectedPurchases } from './bg-nbd.js';
import type { ChurnRisk } from './churn-risk.js';
import { assessChurnRisk } from './churn-risk.js';
import type { CrossBrandRecommendation } from './cross-brand-recommendations.js';
import { recommendCrossBrand } from './cross-brand-recommendations.js';
import type { CustomerHistory } from './customer-history.js';
import { summariseTransactions } from './customer-history.js';
import type { IntelligenceModel, PartnerPurchaseDays } from './intelligence-model.js';
import { itemActivityFromBehaviours } from './item-activity.js';
import { customerLifetimeValue } from './lifetime-value.js';
import type { RfmScores } from './rfm-scores.js';
import { rfmInputFromBehaviours, scoreRfm } from './rfm-scores.js';
import { RFM_SEGMENTS } from './rfm-segments.js';
import { assignSegment, valueFeaturesFromBehaviours } from './value-segments.js';

/*
 * The member-intelligence model applied to one member. Everything here reads only the brands the member
 * consents to share at the time of the query: RFM, the value segment and recommendations from the live
 * behaviour summaries, lifetime value and churn from the purchase days training stored for those brands.
 */

/**
 * The joint purchase history across the given partners: purchase days of all of them on one calendar (two
 * brands on the same day are one visit, as split baskets are), in the model's time unit. Day keys are UTC
 * days, as the brands bucket them, so no time-zone shift applies. Null without a purchase.
 */
export function jointPurchaseHistory(
  purchaseDays: readonly PartnerPurchaseDays[],
  now: Date,
  timeUnitDays: number,
): CustomerHistory | null {
  const transactions = purchaseDays.flatMap((p) =>
    p.days.map(([day, spendMinor]) => ({
      at: new Date(`${day}T00:00:00Z`),
      amountMinor: Math.max(0, spendMinor),
    })),
  );
  return summariseTransactions(transactions, { now, timeUnitDays, timeZoneOffsetMinutes: 0 });
}

export interface MemberRfm extends RfmScores {
  segmentName: string;
}

export function memberRfm(
  model: IntelligenceModel,
  behaviours: readonly BrandBehaviour[],
  now: Date,
): MemberRfm | null {
  const scores = scoreRfm(rfmInputFromBehaviours(behaviours, now), model.rfm);
  return scores && { ...scores, segmentName: RFM_SEGMENTS[scores.segment] };
}

export interface MemberSegment {
  id: string;
  label: string;
  /** Distance to the segment's centre in standard deviations: how typical of it the member is. */
  distance: number;
}

export function memberSegment(
  model: IntelligenceModel,
  behaviours: readonly BrandBehaviour[],
  now: Date,
): MemberSegment {
  const assigned = assignSegment(model.valueSegments, valueFeaturesFromBehaviours(behaviours, now));
  return { id: String(assigned.segment), label: assigned.label, distance: assigned.distance };
}

export interface MemberLifetimeValue {
  expectedPurchases90d: number;
  probabilityAlive: number;
  expectedOrderValueMinor: number;
  clv12mMinor: number;
  currency: string;
  /** The time the figures are stated as of (the model's). */
  asOf: string;
}

/** Lifetime value as of the model's time, from the consented partners' purchase days; null without a purchase. */
export function memberLifetimeValue(
  model: IntelligenceModel,
  purchaseDays: readonly PartnerPurchaseDays[],
): MemberLifetimeValue | null {
  const fit = model.lifetimeValue;
  if (!fit) return null;
  const history = jointPurchaseHistory(purchaseDays, new Date(model.asOf), fit.model.timeUnitDays);
  if (!history) return null;
  const value = customerLifetimeValue(fit.model, history, {
    months: 12,
    monthlyDiscountRate: fit.monthlyDiscountRate,
  });
  return {
    expectedPurchases90d: bgNbdConditionalExpectedPurchases(
      fit.model.bgNbd,
      history,
      90 / fit.model.timeUnitDays,
    ),
    probabilityAlive: value.probabilityAlive,
    expectedOrderValueMinor: Math.round(value.expectedOrderValueMinor),
    clv12mMinor: value.valueMinor,
    currency: fit.currency,
    asOf: model.asOf,
  };
}

/** Churn risk from P(alive) as of the model, with spend over the consented brands' purchase days. */
export function memberChurnRisk(
  model: IntelligenceModel,
  purchaseDays: readonly PartnerPurchaseDays[],
  lifetimeValue: MemberLifetimeValue | null,
): ChurnRisk | null {
  if (!lifetimeValue) return null;
  const spendMinor = purchaseDays.reduce((sum, p) => sum + p.days.reduce((s, [, spend]) => s + spend, 0), 0);
  return assessChurnRisk(
    { probabilityAlive: lifetimeValue.probabilityAlive, spendMinor },
    { atRiskBelow: model.churn.atRiskBelow, highValueMinMinor: model.churn.highValueMinMinor },
  );
}

export function memberRecommendations(
  model: IntelligenceModel,
  behaviours: readonly BrandBehaviour[],
  now: Date,
  limit: number,
  partnerNames: Readonly<Record<string, string>>,
): CrossBrandRecommendation[] {
  return recommendCrossBrand(
    model.recommendations.similarity,
    model.recommendations.popularity,
    {
      activity: itemActivityFromBehaviours(behaviours),
      segment: memberSegment(model, behaviours, now).label,
    },
    { limit, partnerNames },
  );
}
