import type { CrossBrandRecommendation } from './cross-brand-recommendations.js';
import { recommendCrossBrand } from './cross-brand-recommendations.js';
import { buildItemPopularity } from './item-popularity.js';
import type { ItemActivity, ItemKey, TrainItemSimilarityOptions } from './item-similarity.js';
import { trainItemSimilarity } from './item-similarity.js';

export interface TimelineEvent {
  /** Epoch milliseconds. */
  at: number;
  item: ItemKey;
  kind: 'purchase' | 'browse' | 'interaction';
}

/** A member's held-out case: what they did before their last purchase, and that purchase's item. */
export interface HoldOutCase {
  memberId: string;
  heldOut: ItemKey;
  heldOutAt: number;
  training: Map<ItemKey, ItemActivity>;
  /** The member had not bought this item before: the case a recommendation can get right. */
  newItem: boolean;
}

/**
 * Leave-last-out (the protocol of Deshpande & Karypis 2004, in time order): the member's last
 * purchase is held out, and only what they did strictly before it is kept for training, so nothing the
 * member did afterwards can leak in. Null for a member without a purchase.
 */
export function holdOutLastPurchase(memberId: string, events: readonly TimelineEvent[]): HoldOutCase | null {
  let last: TimelineEvent | null = null;
  for (const e of events) if (e.kind === 'purchase' && (!last || e.at >= last.at)) last = e;
  if (!last) return null;
  const training = activityOf(events.filter((e) => e.at < last.at));
  return {
    memberId,
    heldOut: last.item,
    heldOutAt: last.at,
    training,
    newItem: (training.get(last.item)?.purchases ?? 0) === 0,
  };
}

export function activityOf(events: readonly TimelineEvent[]): Map<ItemKey, ItemActivity> {
  const activity = new Map<ItemKey, ItemActivity>();
  for (const e of events) {
    const a = activity.get(e.item) ?? { purchases: 0, browses: 0, interactions: 0 };
    if (e.kind === 'purchase') a.purchases += 1;
    else if (e.kind === 'browse') a.browses += 1;
    else a.interactions += 1;
    activity.set(e.item, a);
  }
  return activity;
}

export interface HitRateReport {
  k: number;
  /** Members with at least one purchase. */
  members: number;
  /** Of those, members whose held-out purchase is an item new to them: the cases evaluated. */
  evaluated: number;
  hitRate: { collaborative: number; collaborativeOnly: number; popularity: number };
}

/**
 * Hit-rate@k: the share of evaluated members whose held-out item is among the k recommended. Three
 * recommenders are trained on the training views only: collaborative filtering as served (popularity in the
 * segment fills places it leaves empty), collaborative filtering alone, and popularity in the segment alone
 * (the baseline). A held-out item the member had bought before cannot be recommended (we never recommend
 * what a member already buys), so those cases are counted but not evaluated.
 */
export function evaluateHitRate(
  cases: readonly (HoldOutCase & { segment: string | null })[],
  options: { k?: number; similarity?: TrainItemSimilarityOptions } = {},
): HitRateReport {
  const k = options.k ?? 5;
  const similarity = trainItemSimilarity(
    cases.map((c) => c.training),
    options.similarity,
  );
  const popularity = buildItemPopularity(
    cases.map((c) => ({
      segment: c.segment,
      purchased: new Set([...c.training].filter(([, a]) => a.purchases > 0).map(([item]) => item)),
    })),
  );
  const noSimilarity = { items: [], neighbours: {}, members: 0 };
  const noPopularity = { bySegment: {} };
  const hits = { collaborative: 0, collaborativeOnly: 0, popularity: 0 };
  const evaluated = cases.filter((c) => c.newItem);
  const hit = (list: CrossBrandRecommendation[], item: ItemKey) =>
    list.some((r) => `${r.partner}/${r.category}` === item);
  for (const c of evaluated) {
    const member = { activity: c.training, segment: c.segment };
    if (hit(recommendCrossBrand(similarity, popularity, member, { limit: k }), c.heldOut))
      hits.collaborative += 1;
    if (hit(recommendCrossBrand(similarity, noPopularity, member, { limit: k }), c.heldOut))
      hits.collaborativeOnly += 1;
    if (hit(recommendCrossBrand(noSimilarity, popularity, member, { limit: k }), c.heldOut))
      hits.popularity += 1;
  }
  const rate = (n: number) => (evaluated.length ? n / evaluated.length : 0);
  return {
    k,
    members: cases.length,
    evaluated: evaluated.length,
    hitRate: {
      collaborative: rate(hits.collaborative),
      collaborativeOnly: rate(hits.collaborativeOnly),
      popularity: rate(hits.popularity),
    },
  };
}
