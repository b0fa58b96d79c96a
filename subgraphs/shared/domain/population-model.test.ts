import { seededUniform } from '../../../tools/seed/seeded-random.js';
import {
  buildPopulationModel,
  computeQuantiles,
  loadPopulationModel,
  parsePopulationModel,
  percentileRank,
} from './population-model.js';

/** q0 … q100 with q_p = f(p). */
const quantilesOf = (f: (p: number) => number): number[] => Array.from({ length: 101 }, (_, p) => f(p));

describe('computeQuantiles', () => {
  it('returns 101 zeros for an empty sample', () => {
    expect(computeQuantiles([])).toEqual(new Array(101).fill(0));
  });

  it('returns the sample itself when it has 101 values', () => {
    const sample = Array.from({ length: 101 }, (_, i) => (i * 37) % 101); // 0 … 100, shuffled
    expect(computeQuantiles(sample)).toEqual(quantilesOf((p) => p));
  });

  it('takes the nearest rank on the sorted sample (worked example)', () => {
    // n = 3, index = round(p / 100 × 2): p ≤ 24 → 0, 25 ≤ p ≤ 74 → 1 (Math.round(0.5) = 1), p ≥ 75 → 2.
    const q = computeQuantiles([30, 10, 20]);
    expect(q).toHaveLength(101);
    expect(q[0]).toBe(10);
    expect(q[24]).toBe(10);
    expect(q[25]).toBe(20);
    expect(q[74]).toBe(20);
    expect(q[75]).toBe(30);
    expect(q[100]).toBe(30);
  });

  it('does not reorder the caller’s sample and is non-decreasing', () => {
    const sample = [5, -2, 9, 9, 0, 3];
    const q = computeQuantiles(sample);
    expect(sample).toEqual([5, -2, 9, 9, 0, 3]);
    expect(q[0]).toBe(-2);
    expect(q[100]).toBe(9);
    for (let p = 1; p <= 100; p += 1) expect(q[p]).toBeGreaterThanOrEqual(q[p - 1]);
  });
});

describe('percentileRank', () => {
  const tens = quantilesOf((p) => 10 * p); // q_p = 10p

  it('interpolates linearly between quantiles', () => {
    expect(percentileRank(250, tens)).toBeCloseTo(25, 12); // q25 exactly
    expect(percentileRank(255, tens)).toBeCloseTo(25.5, 12); // halfway from q25 = 250 to q26 = 260
    expect(percentileRank(3, tens)).toBeCloseTo(0.3, 12); // 3/10 of the way from q0 = 0 to q1 = 10
    expect(percentileRank(1000, tens)).toBe(100); // q100
    expect(percentileRank(0, tens)).toBe(0); // q0, a run of one
  });

  it('is 0 below q0 and 100 above q100', () => {
    const q = quantilesOf((p) => 5 + p);
    expect(percentileRank(4.999, q)).toBe(0);
    expect(percentileRank(-1e9, q)).toBe(0);
    expect(percentileRank(105.001, q)).toBe(100);
    expect(percentileRank(1e12, q)).toBe(100);
  });

  it('ranks a tie at the middle of its run', () => {
    // 40% of the population has 0 interactions: q0 … q40 = 0, then q41 … q100 = 1 … 60.
    const interactions = quantilesOf((p) => Math.max(0, p - 40));
    expect(percentileRank(0, interactions)).toBeCloseTo(20, 12); // (0 + 40) / 2
    // Just above the run interpolates from q40 = 0 to q41 = 1: 40 + 0.5 = 40.5.
    expect(percentileRank(0.5, interactions)).toBeCloseTo(40.5, 12);

    // A run in the middle: q50 … q60 = 50 → (50 + 60) / 2 = 55.
    const plateau = quantilesOf((p) => (p < 50 ? p : p <= 60 ? 50 : p - 10));
    expect(percentileRank(50, plateau)).toBeCloseTo(55, 12);
    expect(percentileRank(49.5, plateau)).toBeCloseTo(49.5, 12);
    expect(percentileRank(50.5, plateau)).toBeCloseTo(60.5, 12);

    // A run at the top: q90 … q100 = 7 → 95.
    const top = quantilesOf((p) => (p < 90 ? p / 100 : 7));
    expect(percentileRank(7, top)).toBeCloseTo(95, 12);

    // Everybody the same: the middle of the whole range.
    expect(
      percentileRank(
        3,
        quantilesOf(() => 3),
      ),
    ).toBe(50);
  });

  it('is monotone and stays in 0 … 100 on tie-heavy populations (property)', () => {
    const random = seededUniform(7);
    for (let run = 0; run < 100; run += 1) {
      const sample = Array.from({ length: 1 + Math.floor(random() * 300) }, () =>
        random() < 0.5 ? Math.floor(random() * 4) : Math.round(random() * 10_000),
      );
      const q = computeQuantiles(sample);
      const probes = [...sample, ...Array.from({ length: 200 }, () => random() * 12_000 - 1000)].sort(
        (a, b) => a - b,
      );
      let previous = -Infinity;
      for (const value of probes) {
        const rank = percentileRank(value, q);
        expect(rank).toBeGreaterThanOrEqual(0);
        expect(rank).toBeLessThanOrEqual(100);
        expect(rank).toBeGreaterThanOrEqual(previous);
        previous = rank;
      }
    }
  });
});

describe('buildPopulationModel', () => {
  const samples = { spend: [0, 100, 2500, 90_000], activity: [0, 1, 4, 20], interaction: [0, 0, 0, 3] };

  it('holds the quantiles of each metric, the population size and a content-derived version', () => {
    const model = buildPopulationModel(samples);
    expect(model.population).toBe(4);
    expect(model.quantiles.spend).toEqual(computeQuantiles(samples.spend));
    expect(model.quantiles.activity).toEqual(computeQuantiles(samples.activity));
    expect(model.quantiles.interaction).toEqual(computeQuantiles(samples.interaction));
    expect(model.version).toMatch(/^population-[0-9a-f]{12}$/);
  });

  it('gives the same version for the same population and a new one when it changes', () => {
    expect(buildPopulationModel(samples).version).toBe(
      buildPopulationModel(structuredClone(samples)).version,
    );
    expect(buildPopulationModel({ ...samples, spend: [0, 100, 2500, 90_001] }).version).not.toBe(
      buildPopulationModel(samples).version,
    );
  });

  it('produces a model that parsePopulationModel accepts', () => {
    const model = buildPopulationModel(samples);
    expect(parsePopulationModel(JSON.parse(JSON.stringify(model)), 'test')).toEqual(model);
  });
});

describe('parsePopulationModel', () => {
  const valid = () => buildPopulationModel({ spend: [1, 2, 3], activity: [1, 2, 3], interaction: [0, 1, 2] });

  it('names the source and the bad key', () => {
    const shortList = { ...valid(), quantiles: { ...valid().quantiles, spend: [1, 2, 3] } };
    expect(() => parsePopulationModel(shortList, 'model.json')).toThrow(
      /^Invalid population model model\.json: key "quantiles\.spend": /,
    );
    expect(() => parsePopulationModel({ ...valid(), population: 0 }, 'm')).toThrow(/key "population"/);
    expect(() => parsePopulationModel({ ...valid(), version: '' }, 'm')).toThrow(/key "version"/);
    const notFinite = valid();
    notFinite.quantiles.activity[7] = Infinity;
    expect(() => parsePopulationModel(notFinite, 'm')).toThrow(/key "quantiles\.activity\.7"/);
  });
});

describe('loadPopulationModel', () => {
  it('fails on a file that does not exist', () => {
    expect(() => loadPopulationModel('/nonexistent/population-model.json')).toThrow(/ENOENT/);
  });
});
