import { seededUniform } from '../../../tools/seed/seeded-random.js';
import { emptyBehaviour } from './behaviour.js';
import type { BrandBehaviour } from './behaviour.js';
import type { PopulationModel } from './population-model.js';
import { computeQuantiles } from './population-model.js';
import { COMPOSITE_WEIGHTS, computeCompositeScore, scoringMetrics } from './composite-score.js';
import { tierForScore } from './tiers.js';
import { populationModelOf } from '../../../test/population-model-fixture.js';

/** Spend q_p = 100p, activity q_p = p, interaction q0 … q40 = 0 then q_p = p − 40. */
const model: PopulationModel = populationModelOf(1000, {
  interaction: (p) => Math.max(0, p - 40),
});

function behaviour(partial: Partial<BrandBehaviour>): BrandBehaviour {
  return { ...emptyBehaviour('p'), ...partial };
}

describe('scoringMetrics', () => {
  it('adds spend, purchases + browse sessions, and interactions + referrals across brands', () => {
    const metrics = scoringMetrics([
      behaviour({
        partner: 'a',
        spendMinor: 1200,
        purchaseCount: 2,
        browseCount: 10,
        interactionCount: 3,
        referralCount: 1,
      }),
      behaviour({
        partner: 'b',
        spendMinor: 800,
        purchaseCount: 1,
        browseCount: 4,
        interactionCount: 0,
        referralCount: 2,
      }),
    ]);
    // spend 1200 + 800; activity (2 + 10) + (1 + 4); interaction (3 + 1) + (0 + 2)
    expect(metrics).toEqual({ spend: 2000, activity: 17, interaction: 6 });
  });

  it('is all zeros for no brands', () => {
    expect(scoringMetrics([])).toEqual({ spend: 0, activity: 0, interaction: 0 });
  });

  it('ignores browse seconds: a session counts once however long it lasts', () => {
    expect(scoringMetrics([behaviour({ browseCount: 1, browseSeconds: 99_999 })]).activity).toBe(1);
  });
});

describe('computeCompositeScore', () => {
  it('uses the seed weights 0.6 / 0.3 / 0.1', () => {
    expect(COMPOSITE_WEIGHTS).toEqual({ spend: 0.6, activity: 0.3, interaction: 0.1 });
  });

  it('weights the three percentiles (worked example)', () => {
    // spend 8000 → q80 → 80; activity 50 → q50 → 50; interaction 0 → middle of q0 … q40 → 20.
    // 0.6 × 80 + 0.3 × 50 + 0.1 × 20 = 48 + 15 + 2 = 65
    expect(computeCompositeScore({ spend: 8000, activity: 50, interaction: 0 }, model)).toEqual({
      score: 65,
      spendPercentile: 80,
      activityPercentile: 50,
      interactionPercentile: 20,
    });
  });

  it('rounds every figure to one decimal after weighting the unrounded percentiles', () => {
    // spend 8012 → 80.12; activity 33.37 → 33.37; interaction 0 → 20.
    // 0.6 × 80.12 + 0.3 × 33.37 + 0.1 × 20 = 48.072 + 10.011 + 2 = 60.083 → 60.1
    expect(computeCompositeScore({ spend: 8012, activity: 33.37, interaction: 0 }, model)).toEqual({
      score: 60.1,
      spendPercentile: 80.1,
      activityPercentile: 33.4,
      interactionPercentile: 20,
    });
  });

  it('is 100 above every q100 and 0 below every q0', () => {
    expect(computeCompositeScore({ spend: 1e9, activity: 1e6, interaction: 1e6 }, model).score).toBe(100);
    expect(computeCompositeScore({ spend: -500, activity: -1, interaction: -1 }, model).score).toBe(0);
  });

  it('stays in 0 … 100, agrees with its percentiles and gives a consistent tier (property)', () => {
    const random = seededUniform(42);
    const sample = (n: number, scale: number): number[] =>
      Array.from({ length: n }, () => (random() < 0.3 ? 0 : Math.round(random() * scale)));
    for (let run = 0; run < 50; run += 1) {
      const n = 1 + Math.floor(random() * 200);
      const population: PopulationModel = {
        version: `v${run}`,
        population: n,
        quantiles: {
          spend: computeQuantiles(sample(n, 500_000)),
          activity: computeQuantiles(sample(n, 300)),
          interaction: computeQuantiles(sample(n, 40)),
        },
      };
      for (let i = 0; i < 50; i += 1) {
        const metrics = {
          spend: Math.round(random() * 600_000) - 50_000,
          activity: Math.round(random() * 400),
          interaction: Math.round(random() * 50),
        };
        const composite = computeCompositeScore(metrics, population);
        expect(composite.score).toBeGreaterThanOrEqual(0);
        expect(composite.score).toBeLessThanOrEqual(100);
        const weighted =
          0.6 * composite.spendPercentile +
          0.3 * composite.activityPercentile +
          0.1 * composite.interactionPercentile;
        // Each percentile is rounded by at most 0.05, the score by at most 0.05 more.
        expect(Math.abs(composite.score - weighted)).toBeLessThanOrEqual(0.1 + 1e-9);
        const tier = tierForScore(composite.score);
        expect(composite.score).toBeGreaterThanOrEqual(tier.minScore);
      }
    }
  });
});
