import { seededUniform } from '../../../tools/seed/seeded-random.js';
import { emptyBehaviour } from './behaviour.js';
import type { BrandBehaviour, CategoryActivity } from './behaviour.js';
import type { JointCategory } from './joint-categories.js';
import { JOINT_CATEGORIES } from './joint-categories.js';
import { PURCHASE_WEIGHT, affinityFor, computeCategoryAffinities } from './affinity.js';

type Signals = Partial<Record<JointCategory, { spend?: number; browse?: number }>>;

function behaviour(partner: string, signals: Signals): BrandBehaviour {
  const categories: CategoryActivity[] = Object.entries(signals).map(([category, s]) => ({
    category: category as JointCategory,
    spendMinor: s?.spend ?? 0,
    purchaseCount: s?.spend ? 1 : 0,
    browseSeconds: s?.browse ?? 0,
    interactionCount: 0,
    decayedSpend: s?.spend ?? 0,
    decayedBrowseSeconds: s?.browse ?? 0,
  }));
  return { ...emptyBehaviour(partner), categories };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

describe('computeCategoryAffinities', () => {
  it('blends purchase and browse shares 0.7 / 0.3 (worked example)', () => {
    expect(PURCHASE_WEIGHT).toBe(0.7);
    // Spend: technology 3000, arts 1000 → shares 0.75, 0.25.
    // Browse: technology 100, arts 100, health 200 → shares 0.25, 0.25, 0.5.
    // technology = 0.7 × 0.75 + 0.3 × 0.25 = 0.525 + 0.075 = 0.6
    // arts       = 0.7 × 0.25 + 0.3 × 0.25 = 0.175 + 0.075 = 0.25
    // health     = 0.7 × 0    + 0.3 × 0.5  = 0.15
    const affinities = computeCategoryAffinities([
      behaviour('mindspark', { technology: { spend: 3000, browse: 100 } }),
      behaviour('starlight', { arts: { spend: 1000, browse: 100 }, health: { browse: 200 } }),
    ]);
    expect(affinities.map((a) => a.category)).toEqual(['technology', 'arts', 'health']);
    expect(affinities[0].share).toBeCloseTo(0.6, 12);
    expect(affinities[1].share).toBeCloseTo(0.25, 12);
    expect(affinities[2].share).toBeCloseTo(0.15, 12);
  });

  it('adds the same category across brands', () => {
    // technology spend 1000 + 1000 = 2000 of 4000 → 0.5; arts 2000 of 4000 → 0.5 (spend only, weight 1).
    const affinities = computeCategoryAffinities([
      behaviour('a', { technology: { spend: 1000 } }),
      behaviour('b', { technology: { spend: 1000 }, arts: { spend: 2000 } }),
    ]);
    expect(affinities).toHaveLength(2);
    expect(affinityFor(affinities, 'technology')).toBeCloseTo(0.5, 12);
    expect(affinityFor(affinities, 'arts')).toBeCloseTo(0.5, 12);
  });

  it('gives purchases the whole weight when nobody browsed', () => {
    // 300 / (300 + 100) = 0.75, 100 / 400 = 0.25
    const affinities = computeCategoryAffinities([
      behaviour('a', { health: { spend: 300 }, family: { spend: 100 } }),
    ]);
    expect(affinities).toEqual([
      { category: 'health', share: 0.75 },
      { category: 'family', share: 0.25 },
    ]);
  });

  it('gives browsing the whole weight when nothing was bought', () => {
    // 50 / 200 = 0.25, 150 / 200 = 0.75
    const affinities = computeCategoryAffinities([
      behaviour('a', { language: { browse: 50 }, arts: { browse: 150 } }),
    ]);
    expect(affinities).toEqual([
      { category: 'arts', share: 0.75 },
      { category: 'language', share: 0.25 },
    ]);
  });

  it('is empty for a member with no activity', () => {
    expect(computeCategoryAffinities([])).toEqual([]);
    expect(computeCategoryAffinities([behaviour('a', {})])).toEqual([]);
    expect(computeCategoryAffinities([behaviour('a', { arts: { spend: 0, browse: 0 } })])).toEqual([]);
  });

  it('ignores negative decayed spend (net refunds) instead of letting it push other shares above 1', () => {
    // arts −500 clamps to 0, so technology holds the whole purchase share.
    const affinities = computeCategoryAffinities([
      behaviour('a', { technology: { spend: 1000 }, arts: { spend: -500 } }),
    ]);
    expect(affinities).toEqual([{ category: 'technology', share: 1 }]);
  });

  it('breaks share ties by category name', () => {
    const affinities = computeCategoryAffinities([
      behaviour('a', { lifestyle: { spend: 100 }, arts: { spend: 100 }, family: { spend: 100 } }),
    ]);
    expect(affinities.map((a) => a.category)).toEqual(['arts', 'family', 'lifestyle']);
  });

  it('always yields shares in (0, 1] that sum to 1, sorted by share (property)', () => {
    const random = seededUniform(20240630);
    for (let run = 0; run < 500; run += 1) {
      const behaviours: BrandBehaviour[] = [];
      const brands = 1 + Math.floor(random() * 4);
      for (let b = 0; b < brands; b += 1) {
        const signals: Signals = {};
        for (const category of JOINT_CATEGORIES) {
          if (random() < 0.4) continue;
          signals[category] = {
            spend: random() < 0.5 ? 0 : random() * 100_000,
            browse: random() < 0.5 ? 0 : random() * 10_000,
          };
        }
        behaviours.push(behaviour(`brand${b}`, signals));
      }
      const affinities = computeCategoryAffinities(behaviours);
      const anyActivity = behaviours.some((b) =>
        b.categories.some((c) => c.decayedSpend > 0 || c.decayedBrowseSeconds > 0),
      );
      if (!anyActivity) {
        expect(affinities).toEqual([]);
        continue;
      }
      expect(Math.abs(sum(affinities.map((a) => a.share)) - 1)).toBeLessThan(1e-9);
      expect(new Set(affinities.map((a) => a.category)).size).toBe(affinities.length);
      for (let i = 0; i < affinities.length; i += 1) {
        expect(affinities[i].share).toBeGreaterThan(0);
        expect(affinities[i].share).toBeLessThanOrEqual(1 + 1e-12);
        if (i > 0) expect(affinities[i].share).toBeLessThanOrEqual(affinities[i - 1].share);
      }
    }
  });
});

describe('affinityFor', () => {
  it('returns the share of the category, or 0 when the member has none', () => {
    const affinities = [
      { category: 'arts' as const, share: 0.7 },
      { category: 'health' as const, share: 0.3 },
    ];
    expect(affinityFor(affinities, 'health')).toBe(0.3);
    expect(affinityFor(affinities, 'technology')).toBe(0);
    expect(affinityFor([], 'arts')).toBe(0);
  });
});
