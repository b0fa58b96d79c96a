import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import type { ItemActivity, ItemKey } from './item-similarity.js';
import { itemKey } from './item-similarity.js';

/**
 * A member's (partner, joint category) items from their brand behaviour summaries: purchases and
 * interactions per category as counted; browses per category are not counted by the brands (a category
 * keeps browse seconds, the brand the number of sessions), so the brand's sessions are shared out over its
 * categories in proportion to the seconds spent there. Training and query time both read this, so the
 * similarities are learnt from exactly what a member is recommended from.
 */
export function itemActivityFromBehaviours(
  behaviours: readonly BrandBehaviour[],
): Map<ItemKey, ItemActivity> {
  const activity = new Map<ItemKey, ItemActivity>();
  for (const b of behaviours) {
    const seconds = b.categories.reduce((sum, c) => sum + c.browseSeconds, 0);
    for (const c of b.categories) {
      const browses = seconds > 0 ? (b.browseCount * c.browseSeconds) / seconds : 0;
      if (c.purchaseCount + c.interactionCount + browses <= 0) continue;
      activity.set(itemKey(b.partner, c.category), {
        purchases: c.purchaseCount,
        browses,
        interactions: c.interactionCount,
      });
    }
  }
  return activity;
}
