import { TIER_CODES } from '../../../shared/domain/tiers.js';
import type { CatalogueBenefit } from '../match-benefit-bundle.js';
import { simulateMatching } from './matching-simulation.js';

const categories = ['arts', 'health', 'technology', 'family', 'language', 'entertainment'] as const;
const catalogue: CatalogueBenefit[] = Array.from({ length: 24 }, (_, i) => ({
  code: `B-${i}`,
  partner: `p${i % 4}`,
  title: `B-${i}`,
  type: 'VOUCHER',
  category: categories[i % categories.length],
  eligibleTiers: [...TIER_CODES],
  valueMinor: 1_000 + ((i * 7919) % 20_000),
}));

describe('simulateMatching', () => {
  const options = { catalogue, members: 300, weeks: 5, seed: 7 };

  it('is deterministic for a seed', () => {
    expect(simulateMatching(options, 'WITH_FEEDBACK')).toEqual(simulateMatching(options, 'WITH_FEEDBACK'));
  });

  it('offers the same bundles in the first week either way (no feedback yet), then learns', () => {
    const plain = simulateMatching(options, 'AFFINITY_ONLY');
    const learning = simulateMatching(options, 'WITH_FEEDBACK');
    expect(learning.weekly[0]).toBe(plain.weekly[0]);
    expect(learning.offered).toBe(plain.offered);
    expect(learning.weekly.at(-1)!).toBeGreaterThan(plain.weekly.at(-1)!);
    expect(learning.redemptionRate).toBeGreaterThan(plain.redemptionRate);
  });
});
