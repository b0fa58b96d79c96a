/**
 * The numbers of docs/scoring-worked-example.md, computed: the seed's raw weighted sum for the seed's example
 * member, and our percentile composite for the same member against the demo population.
 */
import { loadPartnerRegistry } from '../../shared/config/partner-registry.js';
import { partnerRegistryPath } from '../../shared/config/paths.js';
import {
  COMPOSITE_WEIGHTS,
  computeCompositeScore,
  scoringMetrics,
} from '../../shared/domain/composite-score.js';
import { buildPopulationModel, computeQuantiles } from '../../shared/domain/population-model.js';
import { DEFAULT_TIER_BANDS, tierForScore } from '../../shared/domain/tiers.js';
import { behavioursFromEvents, demoMemberEvents } from '../../../tools/seed/demo-member-activity.js';
import { generateDemoPopulation } from '../../../tools/seed/demo-population.js';
import { tierProgress } from './tier-progress.js';
import { SEED_EARNING_RULES, purchasePoints } from '../../benefits/domain/earning-rules.js';

/** The seed's example member: spend ¥1,000, activity 30, interaction 10. */
const EXAMPLE = { spendYuan: 1000, activity: 30, interaction: 10 };
/** The seed's conversion of spend into points in that example. */
const SEED_POINTS_PER_YUAN = 0.01;

describe('scoring worked example (docs/scoring-worked-example.md)', () => {
  it('the seed’s raw weighted sum is 610 and its points 10', () => {
    const raw =
      COMPOSITE_WEIGHTS.spend * EXAMPLE.spendYuan +
      COMPOSITE_WEIGHTS.activity * EXAMPLE.activity +
      COMPOSITE_WEIGHTS.interaction * EXAMPLE.interaction;
    expect(raw).toBeCloseTo(610, 9);
    expect((COMPOSITE_WEIGHTS.spend * EXAMPLE.spendYuan) / raw).toBeCloseTo(0.984, 3); // spend's share of the sum
    // The wallet's own earning rule, configured at the seed's fractional rate, gives the same 10 points.
    const seedRate = { ...SEED_EARNING_RULES, pointsPerYuan: SEED_POINTS_PER_YUAN };
    expect(purchasePoints(EXAMPLE.spendYuan * 100, new Date('2026-01-01T00:00:00Z'), seedRate)).toBe(10);
  });

  it('our composite for the same member against the demo population is 75.4, Classic, ¥350 short of Gold', () => {
    // The population `npm run seed` writes (2,000 members, seed 42), on a fixed date, over consented brands.
    const registry = loadPartnerRegistry(partnerRegistryPath());
    const now = new Date('2026-01-01T00:00:00Z');
    const population = generateDemoPopulation(registry, { members: 2000, seed: 42, now });
    const samples = { spend: [] as number[], activity: [] as number[], interaction: [] as number[] };
    for (const events of demoMemberEvents(registry, population).values()) {
      const metrics = scoringMetrics(behavioursFromEvents(events, now));
      samples.spend.push(metrics.spend);
      samples.activity.push(metrics.activity);
      samples.interaction.push(metrics.interaction);
    }
    const model = buildPopulationModel(samples);
    expect(model.population).toBe(2000);
    expect([
      model.quantiles.spend[50],
      model.quantiles.activity[50],
      model.quantiles.interaction[50],
    ]).toEqual([51_200, 12, 2]);

    // The raw sum over the same population: long-tailed, and ranking members as spend alone does.
    const raw = samples.spend.map(
      (spend, i) =>
        COMPOSITE_WEIGHTS.spend * (spend / 100) +
        COMPOSITE_WEIGHTS.activity * samples.activity[i] +
        COMPOSITE_WEIGHTS.interaction * samples.interaction[i],
    );
    const rawQuantiles = computeQuantiles(raw);
    expect([rawQuantiles[50], rawQuantiles[90], rawQuantiles[100]].map(Math.round)).toEqual([
      311, 1746, 9558,
    ]);
    expect(spearman(raw, samples.spend)).toBeGreaterThan(0.998);
    const composites = samples.spend.map(
      (spend, i) =>
        computeCompositeScore(
          { spend, activity: samples.activity[i], interaction: samples.interaction[i] },
          model,
        ).score,
    );
    expect(spearman(composites, samples.spend)).toBeLessThan(0.98);

    const member = {
      spend: EXAMPLE.spendYuan * 100,
      activity: EXAMPLE.activity,
      interaction: EXAMPLE.interaction,
    };
    const composite = computeCompositeScore(member, model);
    expect(composite).toEqual({
      score: 75.4,
      spendPercentile: 66.6,
      activityPercentile: 85,
      interactionPercentile: 99.3,
    });
    expect(tierForScore(composite.score).code).toBe('CLASSIC');
    const progress = tierProgress(member, model, DEFAULT_TIER_BANDS, { partnerName: 'Inkwell Books' });
    expect(progress).toMatchObject({
      next: { code: 'GOLD', minScore: 80 },
      scoreGap: 4.6,
      requiredSpendPercentile: 74.3,
      hint: 'Spend about ¥350 more at Inkwell Books this quarter to reach Gold.',
    });
  });
});

/** Spearman's rank correlation, ties at their mean rank. */
function spearman(x: readonly number[], y: readonly number[]): number {
  const ranks = (values: readonly number[]): number[] => {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const result = new Array<number>(values.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) result[order[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return result;
  };
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (rx.length - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
