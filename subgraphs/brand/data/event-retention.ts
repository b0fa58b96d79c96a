import type { BrandModels } from './brand-models.js';

/** Raw events are kept this long by default; what they changed lives on in the accounts' day buckets and orders. */
export const DEFAULT_EVENT_RETENTION_DAYS = 400;

const DAY_MS = 86_400_000;

/**
 * The retention sweep (docs/architecture.md §7): deletes raw events received more than `retentionDays` ago
 * once they are applied and published. Their effect stays aggregated in the account's behaviour buckets
 * (a rolling 365 days) and in the orders, so nothing the graph serves changes. Served by the
 * `{ receivedAt }` index; returns how many were deleted.
 */
export async function purgeExpiredEvents(
  models: BrandModels,
  retentionDays: number,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const result = await models.Event.deleteMany({
    published: true,
    state: 'applied',
    receivedAt: { $lt: cutoff },
  });
  return result.deletedCount;
}
