/** One (partner, joint category) pair: the item of cross-brand recommendations, keyed "partner/category". */
export type ItemKey = string;

export const itemKey = (partner: string, category: string): ItemKey => `${partner}/${category}`;

export function parseItemKey(key: ItemKey): { partner: string; category: string } {
  const slash = key.indexOf('/');
  return { partner: key.slice(0, slash), category: key.slice(slash + 1) };
}

/** What a member did with one item over the window. */
export interface ItemActivity {
  purchases: number;
  browses: number;
  interactions: number;
}

/** Weights of the kinds of implicit feedback: a purchase says most, a browse least. */
export const FEEDBACK_WEIGHTS = { purchases: 1, interactions: 0.5, browses: 0.2 } as const;

/**
 * Strength of a member's interest in an item from implicit feedback, r = ln(1 + weighted count). The log
 * keeps a member who browsed a category 200 times from outweighing everything else they did, as in the
 * confidence scaling of Hu, Koren & Volinsky 2008 ("Collaborative Filtering for Implicit Feedback
 * Datasets", ICDM).
 */
export function interestStrength(a: ItemActivity): number {
  return Math.log1p(
    FEEDBACK_WEIGHTS.purchases * a.purchases +
      FEEDBACK_WEIGHTS.interactions * a.interactions +
      FEEDBACK_WEIGHTS.browses * a.browses,
  );
}

export interface ItemNeighbour {
  item: ItemKey;
  similarity: number;
}

/** Serialisable item-to-item model: for each item, its most similar items. */
export interface ItemSimilarityModel {
  items: ItemKey[];
  neighbours: Record<ItemKey, ItemNeighbour[]>;
  members: number;
}

export interface TrainItemSimilarityOptions {
  /** Neighbours kept per item (Sarwar et al. 2001 keep the k most similar items). */
  neighbours?: number;
  /** Item pairs shared by fewer members than this get no similarity: one or two co-buyers are noise. */
  minCommonMembers?: number;
}

/**
 * Item-based collaborative filtering (Sarwar, Karypis, Konstan & Riedl 2001, "Item-based collaborative
 * filtering recommendation algorithms", WWW), cosine similarity between the items' member vectors
 * of interest strengths:
 *   sim(i, j) = Σᵤ rᵤᵢ rᵤⱼ / (‖r·ᵢ‖ ‖r·ⱼ‖)
 * Plain cosine rather than the paper's adjusted cosine: adjusted cosine subtracts each member's mean rating to
 * remove rating-scale bias, but implicit feedback has no rating scale, and subtracting a member's mean
 * would turn "browsed once" into a negative signal. Deshpande & Karypis 2004 ("Item-based top-N
 * recommendation algorithms", ACM TOIS 22(1)) use the same cosine for top-N from implicit data.
 */
export function trainItemSimilarity(
  members: readonly ReadonlyMap<ItemKey, ItemActivity>[],
  options: TrainItemSimilarityOptions = {},
): ItemSimilarityModel {
  const keep = options.neighbours ?? 20;
  const minCommon = options.minCommonMembers ?? 3;
  const norms = new Map<ItemKey, number>();
  const dots = new Map<ItemKey, Map<ItemKey, { dot: number; common: number }>>();
  for (const member of members) {
    const strengths = [...member].map(([item, activity]) => [item, interestStrength(activity)] as const);
    for (const [i, ri] of strengths) {
      if (ri <= 0) continue;
      norms.set(i, (norms.get(i) ?? 0) + ri * ri);
      for (const [j, rj] of strengths) {
        if (j === i || rj <= 0) continue;
        const row = dots.get(i) ?? new Map<ItemKey, { dot: number; common: number }>();
        const cell = row.get(j) ?? { dot: 0, common: 0 };
        cell.dot += ri * rj;
        cell.common += 1;
        row.set(j, cell);
        dots.set(i, row);
      }
    }
  }
  const items = [...norms.keys()].sort();
  const neighbours: Record<ItemKey, ItemNeighbour[]> = {};
  for (const i of items) {
    neighbours[i] = [...(dots.get(i) ?? new Map<ItemKey, { dot: number; common: number }>())]
      .filter(([, cell]) => cell.common >= minCommon)
      .map(([j, cell]) => ({ item: j, similarity: cell.dot / Math.sqrt(norms.get(i)! * norms.get(j)!) }))
      .sort((p, q) => q.similarity - p.similarity || p.item.localeCompare(q.item))
      .slice(0, keep);
  }
  return { items, neighbours, members: members.length };
}
