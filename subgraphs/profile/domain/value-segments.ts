import { createHash } from 'node:crypto';
import { kmeans } from 'ml-kmeans';
import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import { rfmInputFromBehaviours } from './rfm-scores.js';
import { euclideanDistance, silhouetteScore } from './silhouette.js';

/** A member's behaviour over the window, as the value segmentation reads it. */
export interface ValueFeatures {
  /** Net spend across consented brands, minor units. */
  spendMinor: number;
  /** Purchases across brands. */
  purchases: number;
  /** Days since the last purchase; null without one (then counted as the whole window). */
  recencyDays: number | null;
  /** Brands with any activity. */
  brandsActive: number;
  /** Reviews, shares, comments, likes and referrals. */
  interactions: number;
}

/** The features from the member's consented brand behaviours (the summaries the composite score reads). */
export function valueFeaturesFromBehaviours(behaviours: readonly BrandBehaviour[], now: Date): ValueFeatures {
  const { recencyDays, frequency, monetaryMinor } = rfmInputFromBehaviours(behaviours, now);
  return {
    spendMinor: monetaryMinor,
    purchases: frequency,
    recencyDays,
    brandsActive: behaviours.filter(
      (b) => b.purchaseCount + b.browseCount + b.interactionCount + b.referralCount > 0,
    ).length,
    interactions: behaviours.reduce((sum, b) => sum + b.interactionCount + b.referralCount, 0),
  };
}

export const VALUE_FEATURE_NAMES = ['spend', 'frequency', 'recency', 'brandsActive', 'interaction'] as const;

/** Serialisable: trained offline, stored with a version, applied per member by `assignSegment`. */
export interface ValueSegmentModel {
  version: string;
  features: readonly string[];
  /** Recency given to members without a purchase in the window. */
  windowDays: number;
  /** Mean and standard deviation of each log-scaled feature over the training population. */
  means: number[];
  stds: number[];
  k: number;
  /** Centroids in standardised log space, one per segment. */
  centroids: number[][];
  labels: string[];
  sizes: number[];
  silhouette: number;
  silhouetteByK: { k: number; silhouette: number }[];
  seed: number;
  population: number;
}

export interface FitValueSegmentsOptions {
  kMin?: number;
  kMax?: number;
  seed?: number;
  /** k-means runs per k (k-means++ seeded with seed, seed + 1, …); the lowest within-cluster sum wins. */
  restarts?: number;
  /** Silhouette is O(n²): above this many members it is computed on an evenly spaced sample of them. */
  silhouetteSample?: number;
  windowDays?: number;
}

/**
 * Log scaling: spend, counts and days are long-tailed (a few members spend a hundred times the median), and
 * k-means on raw values would split the tail and lump everyone else together. ln(1 + x) keeps zeros.
 */
export function logScaledFeatures(f: ValueFeatures, windowDays: number): number[] {
  return [
    Math.log1p(Math.max(0, f.spendMinor) / 100),
    Math.log1p(f.purchases),
    Math.log1p(f.recencyDays ?? windowDays),
    Math.log1p(f.brandsActive),
    Math.log1p(f.interactions),
  ];
}

const standardise = (row: readonly number[], means: readonly number[], stds: readonly number[]): number[] =>
  row.map((v, i) => (v - means[i]) / stds[i]);

/**
 * Value segments by k-means (MacQueen 1967; k-means++ seeding, Arthur & Vassilvitskii 2007) on standardised
 * log-scaled features; k is the one with the highest mean silhouette (Rousseeuw 1987) in [kMin, kMax],
 * the smaller k on a tie. Deterministic for a given population order and seed.
 */
export function fitValueSegments(
  members: readonly ValueFeatures[],
  options: FitValueSegmentsOptions = {},
): ValueSegmentModel {
  const kMin = options.kMin ?? 3;
  const kMax = options.kMax ?? 8;
  const seed = options.seed ?? 42;
  const restarts = options.restarts ?? 4;
  const windowDays = options.windowDays ?? 365;
  const sampleSize = options.silhouetteSample ?? 2000;
  if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && 2 <= kMin && kMin <= kMax)) {
    throw new RangeError(`k range must be whole numbers with 2 ≤ kMin ≤ kMax; got ${kMin}-${kMax}`);
  }
  if (members.length <= kMax) {
    throw new RangeError(`Value segments need more members than kMax (${kMax}); got ${members.length}`);
  }
  const raw = members.map((m) => logScaledFeatures(m, windowDays));
  const dims = raw[0].length;
  const means = Array.from({ length: dims }, (_, i) => raw.reduce((s, r) => s + r[i], 0) / raw.length);
  const stds = means.map((mean, i) => {
    const sd = Math.sqrt(raw.reduce((s, r) => s + (r[i] - mean) ** 2, 0) / raw.length);
    // A feature every member shares carries no information; dividing by 1 keeps it at 0.
    return sd > 0 ? sd : 1;
  });
  const points = raw.map((r) => standardise(r, means, stds));
  const step = Math.max(1, points.length / sampleSize);
  const sample = Array.from({ length: Math.min(sampleSize, points.length) }, (_, i) => Math.floor(i * step));

  let best: { k: number; centroids: number[][]; clusters: number[]; silhouette: number } | null = null;
  const silhouetteByK: { k: number; silhouette: number }[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const run = bestOfRestarts(points, k, seed, restarts);
    if (!run) continue; // fewer distinct members than k: no k-way split exists
    const silhouette = silhouetteScore(
      sample.map((i) => points[i]),
      sample.map((i) => run.clusters[i]),
    );
    silhouetteByK.push({ k, silhouette });
    if (!best || silhouette > best.silhouette) best = { k, ...run, silhouette };
  }
  if (!best) throw new RangeError('Value segments: the members are too alike to split into kMin segments');
  const sizes = best.centroids.map((_, c) => best.clusters.filter((x) => x === c).length);
  const labels = labelSegments(best.centroids);
  const body = {
    features: [...VALUE_FEATURE_NAMES],
    windowDays,
    means,
    stds,
    k: best.k,
    centroids: best.centroids,
    labels,
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  return {
    version: `value-segments-${digest}`,
    ...body,
    sizes,
    silhouette: best.silhouette,
    silhouetteByK,
    seed,
    population: members.length,
  };
}

function bestOfRestarts(
  points: number[][],
  k: number,
  seed: number,
  restarts: number,
): { centroids: number[][]; clusters: number[] } | null {
  let best: { centroids: number[][]; clusters: number[]; inertia: number } | null = null;
  for (let r = 0; r < restarts; r++) {
    const result = kmeans(points, k, { seed: seed + r, initialization: 'kmeans++', maxIterations: 300 });
    const sizes = new Array<number>(k).fill(0);
    for (const c of result.clusters) sizes[c] += 1;
    if (sizes.some((s) => s === 0)) continue;
    let inertia = 0;
    points.forEach((p, i) => (inertia += euclideanDistance(p, result.centroids[result.clusters[i]]) ** 2));
    if (!best || inertia < best.inertia)
      best = { centroids: result.centroids, clusters: result.clusters, inertia };
  }
  return best;
}

/**
 * Names a segment from its centroid (in standard deviations from the population mean, per feature):
 *   value    = mean of spend and frequency
 *   lapsing  = recency (high: long since the last purchase)
 *   breadth  = mean of brands active and interaction
 * and the first rule that matches:
 *   lapsing ≥ 0.5 and value ≥ 0          → "at risk"      bought well, but has gone quiet
 *   lapsing ≥ 0.5                        → "lapsed"
 *   value ≥ 0.75, or value ≥ 0.5 for the
 *     most valuable of the other segments → "high value"
 *   value ≥ 0 or breadth ≥ 0.5           → "growing"      active, engaged, spend still below the top
 *   otherwise                            → "occasional"
 * The second clause of "high value" keeps a population whose best segment sits just under 0.75 from having
 * no high-value segment at all. Segments that get the same name are numbered by value, highest first
 * ("growing", "growing 2").
 */
export function labelSegment(centroid: readonly number[], mostValuableActive = false): string {
  const [spend, frequency, recency, brands, interaction] = centroid;
  const value = (spend + frequency) / 2;
  const breadth = (brands + interaction) / 2;
  if (recency >= 0.5) return value >= 0 ? 'at risk' : 'lapsed';
  if (value >= 0.75 || (mostValuableActive && value >= 0.5)) return 'high value';
  if (value >= 0 || breadth >= 0.5) return 'growing';
  return 'occasional';
}

export function labelSegments(centroids: readonly (readonly number[])[]): string[] {
  const value = (c: readonly number[]) => (c[0] + c[1]) / 2;
  let top = -1;
  centroids.forEach((c, i) => {
    if (c[2] < 0.5 && (top < 0 || value(c) > value(centroids[top]))) top = i;
  });
  const base = centroids.map((c, i) => labelSegment(c, i === top));
  const labels = [...base];
  for (const name of new Set(base)) {
    const same = base.map((_, i) => i).filter((i) => base[i] === name);
    if (same.length < 2) continue;
    same.sort((i, j) => value(centroids[j]) - value(centroids[i]) || i - j);
    same.forEach((i, rank) => (labels[i] = rank === 0 ? name : `${name} ${rank + 1}`));
  }
  return labels;
}

export interface SegmentAssignment {
  segment: number;
  label: string;
  /** Distance to the segment's centroid, in standard deviations. */
  distance: number;
}

/** The segment whose centroid is nearest to the member's standardised log features (ties: the lower index). */
export function assignSegment(model: ValueSegmentModel, features: ValueFeatures): SegmentAssignment {
  const point = standardise(logScaledFeatures(features, model.windowDays), model.means, model.stds);
  let segment = 0;
  let distance = Number.POSITIVE_INFINITY;
  model.centroids.forEach((centroid, c) => {
    const d = euclideanDistance(point, centroid);
    if (d < distance) {
      distance = d;
      segment = c;
    }
  });
  return { segment, label: model.labels[segment], distance };
}
