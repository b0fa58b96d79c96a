import type { TierBand } from './tiers.js';
import { DEFAULT_TIER_BANDS, TIER_CODES, tierForScore } from './tiers.js';

describe('DEFAULT_TIER_BANDS', () => {
  it('holds the seed thresholds, highest first, one band per tier code', () => {
    expect(DEFAULT_TIER_BANDS.map((b) => [b.code, b.minScore])).toEqual([
      ['DIAMOND', 90],
      ['GOLD', 80],
      ['CLASSIC', 60],
      ['BASIC', 0],
    ]);
    expect(DEFAULT_TIER_BANDS.map((b) => b.code)).toEqual([...TIER_CODES]);
  });
});

describe('tierForScore', () => {
  it.each([
    [100, 'DIAMOND'],
    [90, 'DIAMOND'],
    [89.9, 'GOLD'],
    [80, 'GOLD'],
    [79.9, 'CLASSIC'],
    [60, 'CLASSIC'],
    [59.9, 'BASIC'],
    [0, 'BASIC'],
  ])('puts score %p in %s', (score, code) => {
    expect(tierForScore(score).code).toBe(code);
  });

  it('falls back to the lowest band for a score below every threshold', () => {
    expect(tierForScore(-1).code).toBe('BASIC');
    const bands: TierBand[] = [
      { code: 'GOLD', name: 'Gold', minScore: 50 },
      { code: 'CLASSIC', name: 'Classic', minScore: 20 },
    ];
    expect(tierForScore(10, bands).code).toBe('CLASSIC');
  });

  it('accepts configured bands in any order', () => {
    const bands: TierBand[] = [
      { code: 'BASIC', name: 'Basic', minScore: 0 },
      { code: 'DIAMOND', name: 'Diamond', minScore: 75 },
      { code: 'GOLD', name: 'Gold', minScore: 50 },
    ];
    expect(tierForScore(60, bands).code).toBe('GOLD');
    expect(tierForScore(75, bands).code).toBe('DIAMOND');
    expect(tierForScore(49.9, bands).code).toBe('BASIC');
    expect(bands.map((b) => b.code)).toEqual(['BASIC', 'DIAMOND', 'GOLD']); // the caller's list is not sorted in place
  });

  it('returns the highest band the score reaches, for every score 0 … 100 (property)', () => {
    for (let tenths = 0; tenths <= 1000; tenths += 1) {
      const score = tenths / 10;
      const band = tierForScore(score);
      expect(score).toBeGreaterThanOrEqual(band.minScore);
      const higher = DEFAULT_TIER_BANDS.filter((b) => b.minScore > band.minScore);
      for (const b of higher) expect(score).toBeLessThan(b.minScore);
    }
  });
});
