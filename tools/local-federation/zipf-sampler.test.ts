import { zipfSampler } from './zipf-sampler.js';

describe('zipfSampler', () => {
  it('draws rank r about in proportion to 1/r^s, the same ranks for the same seed', () => {
    const n = 100;
    const draw = zipfSampler(n, 1.1, 42);
    const counts = new Array<number>(n + 1).fill(0);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) counts[draw()] += 1;
    const harmonic = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 1.1).reduce((a, b) => a + b, 0);
    for (const rank of [1, 2, 10]) {
      const expected = draws / rank ** 1.1 / harmonic;
      expect(Math.abs(counts[rank] - expected) / expected).toBeLessThan(0.05);
    }
    expect(counts[0]).toBe(0);
    const again = zipfSampler(n, 1.1, 42);
    const first = zipfSampler(n, 1.1, 42);
    expect(Array.from({ length: 20 }, again)).toEqual(Array.from({ length: 20 }, first));
  });

  it('refuses a population or exponent that makes no distribution', () => {
    expect(() => zipfSampler(0, 1.1, 1)).toThrow(RangeError);
    expect(() => zipfSampler(10, 0, 1)).toThrow(RangeError);
  });
});
