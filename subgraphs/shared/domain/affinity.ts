import type { BrandBehaviour } from './behaviour.js';
import type { JointCategory } from './joint-categories.js';

export interface CategoryAffinity {
  category: JointCategory;
  share: number;
}

/** Weight of purchase share against browse share in the blend (docs/architecture.md §8): money speaks louder than clicks. */
export const PURCHASE_WEIGHT = 0.7;

function shares(totals: Map<JointCategory, number>): Map<JointCategory, number> {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const result = new Map<JointCategory, number>();
  if (sum <= 0) return result;
  for (const [category, value] of totals) if (value > 0) result.set(category, value / sum);
  return result;
}

/**
 * Category affinity across brands: a blend of the time-decayed purchase share and browse share per joint
 * category. When one of the two signals is absent the other carries the whole weight, so the shares always
 * sum to 1 for a member with any activity, and the list is empty for a member with none.
 */
export function computeCategoryAffinities(behaviours: readonly BrandBehaviour[]): CategoryAffinity[] {
  const spend = new Map<JointCategory, number>();
  const browse = new Map<JointCategory, number>();
  for (const behaviour of behaviours) {
    for (const c of behaviour.categories) {
      spend.set(c.category, (spend.get(c.category) ?? 0) + Math.max(0, c.decayedSpend));
      browse.set(c.category, (browse.get(c.category) ?? 0) + Math.max(0, c.decayedBrowseSeconds));
    }
  }
  const spendShares = shares(spend);
  const browseShares = shares(browse);
  const purchaseWeight = spendShares.size === 0 ? 0 : browseShares.size === 0 ? 1 : PURCHASE_WEIGHT;
  const blended = new Map<JointCategory, number>();
  for (const [category, share] of spendShares) blended.set(category, share * purchaseWeight);
  for (const [category, share] of browseShares) {
    blended.set(category, (blended.get(category) ?? 0) + share * (1 - purchaseWeight));
  }
  return [...blended.entries()]
    .map(([category, share]) => ({ category, share }))
    .sort((a, b) => b.share - a.share || a.category.localeCompare(b.category));
}

export function affinityFor(affinities: readonly CategoryAffinity[], category: JointCategory): number {
  return affinities.find((a) => a.category === category)?.share ?? 0;
}
