import type { ItemPopularityModel } from './item-popularity.js';
import type { ItemSimilarityModel } from './item-similarity.js';
import type { LifetimeValueModel } from './lifetime-value.js';
import type { RfmModel } from './rfm-scores.js';
import type { RfmSegment } from './rfm-segments.js';
import type { ValueSegmentModel } from './value-segments.js';

/** Purchase days of one member at one partner over the window: [UTC day key "YYYY-MM-DD", net spend minor]. */
export interface PartnerPurchaseDays {
  partner: string;
  days: [day: string, spendMinor: number][];
}

/**
 * The member-intelligence model: every population-level part of the models, fitted together by
 * `npm run train` from the consented behaviour of every member, stored with a version in the profile
 * database, and applied per member at query time (docs/architecture.md §8). Plain data, so it is stored
 * and compared as it is.
 */
export interface IntelligenceModel {
  /** `intelligence-<digest of everything below>`: the same data, time and seed give the same version. */
  version: string;
  /** The time the behaviour was read as of; lifetime value and churn are stated as of this moment. */
  asOf: string;
  seed: number;
  windowDays: number;
  /** Programme members the model was trained on. */
  members: number;
  rfm: RfmModel;
  rfmSegmentSizes: Record<RfmSegment, number>;
  valueSegments: ValueSegmentModel;
  /** Null when the population had too few repeat buyers to fit BG/NBD and Gamma-Gamma. */
  lifetimeValue: LifetimeValueFit | null;
  churn: ChurnSettings;
  recommendations: { similarity: ItemSimilarityModel; popularity: ItemPopularityModel };
}

export interface LifetimeValueFit {
  model: LifetimeValueModel;
  monthlyDiscountRate: number;
  currency: string;
  bgNbd: { logLikelihood: number; customers: number; converged: boolean };
  gammaGamma: { logLikelihood: number; customers: number; converged: boolean };
}

export interface ChurnSettings {
  atRiskBelow: number;
  /** Window spend at or above which a member is high value (the population's 80th percentile). */
  highValueMinMinor: number;
  /** High-value members at risk when the model was trained. */
  highValueAtRisk: number;
}

/** A member's churn figures as of training, kept to list the high-value members at risk. */
export interface MemberChurnScore {
  memberId: string;
  probabilityAlive: number;
  spendMinor: number;
  valueAtRiskMinor: number;
  highValueAtRisk: boolean;
}
