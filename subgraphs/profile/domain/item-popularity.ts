import type { ItemKey } from './item-similarity.js';

/** The segment every member also belongs to: popularity over the whole programme. */
export const ALL_MEMBERS = '*';

export interface PopularItem {
  item: ItemKey;
  /** Share of the segment's members who bought the item. */
  share: number;
}

/** Per segment, items by the share of the segment's members who bought them (serialisable). */
export interface ItemPopularityModel {
  bySegment: Record<string, PopularItem[]>;
}

/**
 * Popularity within a segment, the fallback for members with too little history for collaborative
 * filtering (the "cold start" of Schein et al. 2002, "Methods and metrics for cold-start recommendations",
 * SIGIR): a new member still gets what members like them buy. Every member also counts towards `ALL_MEMBERS`.
 */
export function buildItemPopularity(
  members: readonly { segment: string | null; purchased: ReadonlySet<ItemKey> }[],
): ItemPopularityModel {
  const counts = new Map<string, Map<ItemKey, number>>();
  const sizes = new Map<string, number>();
  for (const member of members) {
    for (const segment of member.segment === null ? [ALL_MEMBERS] : [ALL_MEMBERS, member.segment]) {
      sizes.set(segment, (sizes.get(segment) ?? 0) + 1);
      const row = counts.get(segment) ?? new Map<ItemKey, number>();
      for (const item of member.purchased) row.set(item, (row.get(item) ?? 0) + 1);
      counts.set(segment, row);
    }
  }
  const bySegment: Record<string, PopularItem[]> = {};
  for (const [segment, row] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    bySegment[segment] = [...row]
      .map(([item, n]) => ({ item, share: n / sizes.get(segment)! }))
      .sort((p, q) => q.share - p.share || p.item.localeCompare(q.item));
  }
  return { bySegment };
}
