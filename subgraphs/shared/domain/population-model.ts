import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Population statistics that turn a member's totals into percentiles. One versioned artifact, produced from
 * the member population (`npm run seed` writes it) and loaded by every subgraph that scores members, so the
 * profile and benefits subgraphs always agree on a member's tier.
 */
export interface PopulationModel {
  version: string;
  population: number;
  /** 101 quantiles (q0 … q100) of each scoring metric over the population. */
  quantiles: { spend: number[]; activity: number[]; interaction: number[] };
}

const quantileList = z.array(z.number().finite()).length(101);
const modelSchema = z.object({
  version: z.string().min(1),
  population: z.number().int().min(1),
  quantiles: z.object({ spend: quantileList, activity: quantileList, interaction: quantileList }),
});

/** The q0 … q100 quantiles of a sample (nearest-rank on the sorted sample). */
export function computeQuantiles(sample: readonly number[]): number[] {
  if (sample.length === 0) return Array.from({ length: 101 }, () => 0);
  const sorted = [...sample].sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, p) => sorted[Math.round((p / 100) * (sorted.length - 1))]);
}

/**
 * Percentile rank (0-100) of `value` against quantiles q0 … q100, interpolating linearly between quantiles.
 * Ties take the middle of their run, so when 40% of the population has 0 interactions, 0 ranks at 20 rather
 * than at 0 or 40.
 */
export function percentileRank(value: number, quantiles: readonly number[]): number {
  const last = quantiles.length - 1;
  if (value < quantiles[0]) return 0;
  if (value > quantiles[last]) return 100;
  let low = quantiles.findIndex((q) => q >= value);
  if (quantiles[low] === value) {
    let high = low;
    while (high < last && quantiles[high + 1] === value) high += 1;
    return ((low + high) / 2 / last) * 100;
  }
  low -= 1;
  const fraction = (value - quantiles[low]) / (quantiles[low + 1] - quantiles[low]);
  return ((low + fraction) / last) * 100;
}

export function buildPopulationModel(samples: {
  spend: number[];
  activity: number[];
  interaction: number[];
}): PopulationModel {
  const quantiles = {
    spend: computeQuantiles(samples.spend),
    activity: computeQuantiles(samples.activity),
    interaction: computeQuantiles(samples.interaction),
  };
  const digest = createHash('sha256').update(JSON.stringify(quantiles)).digest('hex').slice(0, 12);
  return { version: `population-${digest}`, population: samples.spend.length, quantiles };
}

export function parsePopulationModel(raw: unknown, source: string): PopulationModel {
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid population model ${source}: key "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}

export function loadPopulationModel(path: string): PopulationModel {
  return parsePopulationModel(JSON.parse(readFileSync(path, 'utf8')), path);
}
