import { createHash } from 'node:crypto';
import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import { computeQuantiles } from '../../shared/domain/population-model.js';
import type { RfmScoreTriple, RfmSegment } from './rfm-segments.js';
import { rfmSegment } from './rfm-segments.js';

/** A member's joint (cross-brand) purchase behaviour over the window. */
export interface RfmInput {
  /** Whole days since the last purchase at any consented brand; null without a purchase in the window. */
  recencyDays: number | null;
  /** Purchases across brands. */
  frequency: number;
  /** Net spend across brands, minor units. */
  monetaryMinor: number;
}

/**
 * Quintile breakpoints (20th, 40th, 60th, 80th percentiles) of each dimension over the members who bought
 * in the window: the population half of RFM scoring, trained with the other models and frozen with them.
 */
export interface RfmModel {
  version: string;
  /** Members the breakpoints were computed from. */
  population: number;
  breakpoints: { recency: number[]; frequency: number[]; monetary: number[] };
}

export interface RfmScores extends RfmScoreTriple {
  segment: RfmSegment;
}

const DAY_MS = 86_400_000;

/** Joint RFM input from the member's consented brand behaviours (the same summaries the composite reads). */
export function rfmInputFromBehaviours(behaviours: readonly BrandBehaviour[], now: Date): RfmInput {
  let frequency = 0;
  let monetaryMinor = 0;
  let last: number | null = null;
  for (const b of behaviours) {
    frequency += b.purchaseCount;
    monetaryMinor += b.spendMinor;
    if (b.lastPurchaseAt) last = Math.max(last ?? 0, Date.parse(b.lastPurchaseAt));
  }
  const recencyDays = last === null ? null : Math.max(0, Math.floor((now.getTime() - last) / DAY_MS));
  return { recencyDays, frequency, monetaryMinor };
}

/** Breakpoints from the population (nearest-rank quantiles, the same as the composite score's model). */
export function buildRfmModel(members: readonly RfmInput[]): RfmModel {
  const buyers = members.filter((m) => m.frequency > 0 && m.recencyDays !== null);
  const quintiles = (values: number[]): number[] => {
    const q = computeQuantiles(values);
    return [q[20], q[40], q[60], q[80]];
  };
  const breakpoints = {
    recency: quintiles(buyers.map((m) => m.recencyDays!)),
    frequency: quintiles(buyers.map((m) => m.frequency)),
    monetary: quintiles(buyers.map((m) => m.monetaryMinor)),
  };
  const digest = createHash('sha256').update(JSON.stringify(breakpoints)).digest('hex').slice(0, 12);
  return { version: `rfm-${digest}`, population: buyers.length, breakpoints };
}

/**
 * Quintile scores 1-5 (Hughes 1994, "Strategic Database Marketing", the RFM method): frequency and monetary
 * score 1 plus the number of breakpoints the value exceeds; recency the other way round, 5 for the most
 * recent fifth. Tied values share a score, so with many one-time buyers some scores go unused rather than
 * splitting equal members. Null without a purchase in the window: there is nothing to score.
 */
export function scoreRfm(input: RfmInput, model: RfmModel): RfmScores | null {
  if (input.frequency <= 0 || input.recencyDays === null) return null;
  const above = (value: number, breakpoints: readonly number[]) =>
    breakpoints.filter((b) => value > b).length;
  const scores = {
    recency: 5 - above(input.recencyDays, model.breakpoints.recency),
    frequency: 1 + above(input.frequency, model.breakpoints.frequency),
    monetary: 1 + above(input.monetaryMinor, model.breakpoints.monetary),
  };
  return { ...scores, segment: rfmSegment(scores) };
}
