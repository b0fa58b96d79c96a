import type { PipelineStage } from 'mongoose';
import type { DailyActivity } from '../../shared/domain/behaviour.js';
import { dayKey } from '../../shared/domain/behaviour.js';

const DAY_MS = 86_400_000;

/** What the pipeline answers per account: the day buckets inside the window, as key/value pairs. */
export interface AccountWindowRow {
  memberId: string;
  firstPurchaseAt?: Date | null;
  days: { k: string; v: DailyActivity }[];
}

/**
 * The aggregation each brand's own database runs for training: the accounts of the given members (the
 * members who consent to share this brand; the unique `memberId` index serves the match, and on a sharded
 * cluster keyed by member id it is routed to the shards that hold them), with only the day buckets inside
 * the rolling window. Stages and operators are standard MongoDB ($match, $project, $objectToArray,
 * $filter), so the same job runs on the embedded store, a replica set or a sharded cluster.
 */
export function consentedBehaviourPipeline(
  memberIds: readonly string[],
  now: Date,
  windowDays: number,
): PipelineStage[] {
  const first = dayKey(new Date(Date.parse(dayKey(now)) - (windowDays - 1) * DAY_MS));
  const last = dayKey(now);
  return [
    { $match: { memberId: { $in: [...memberIds] } } },
    {
      $project: {
        _id: 0,
        memberId: 1,
        firstPurchaseAt: 1,
        days: {
          $filter: {
            input: { $objectToArray: { $ifNull: ['$days', {}] } },
            as: 'day',
            cond: { $and: [{ $gte: ['$$day.k', first] }, { $lte: ['$$day.k', last] }] },
          },
        },
      },
    },
  ];
}
