import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { StoredTier } from '../domain/tier-evaluation.js';
import { requiredString, requiredMixed } from '../../shared/db/schema-fields.js';

/** A member's joint tier as of the last scheduled evaluation, with its history (one document per member). */
export interface MemberTierDocument {
  _id: string;
  tier: StoredTier;
}

const tierSchema = new Schema<MemberTierDocument>(
  {
    _id: requiredString,
    tier: requiredMixed,
  },
  { collection: 'member_tiers', versionKey: false, minimize: false },
);

const BATCH = 500;

/** Stored tiers: read per request through a loader, written by the scheduled evaluation in batches. */
export class TierStore {
  private readonly Tier: Model<MemberTierDocument>;

  constructor(connection: Connection) {
    this.Tier = connection.model<MemberTierDocument>('MemberTier', tierSchema);
  }

  async init(): Promise<void> {
    await this.Tier.init();
  }

  /** Members by stored tier, and per period the evaluations recorded in the window by kind of change. */
  async distribution(window: AnalyticsWindow): Promise<{
    current: { code: string; members: number }[];
    changes: { period: string; change: string; members: number }[];
  }> {
    const [current, changes] = await Promise.all([
      this.Tier.aggregate<{ _id: string; members: number }>([
        { $group: { _id: '$tier.code', members: { $sum: 1 } } },
      ]),
      this.Tier.aggregate<{ _id: { period: string; change: string }; members: number }>([
        { $unwind: '$tier.history' },
        { $match: { 'tier.history.at': { $gte: window.from.toISOString(), $lt: window.to.toISOString() } } },
        {
          $group: {
            _id: { period: '$tier.history.period', change: '$tier.history.change' },
            members: { $sum: 1 },
          },
        },
      ]),
    ]);
    return {
      current: current.map((r) => ({ code: r._id, members: r.members })),
      changes: changes.map((r) => ({ period: r._id.period, change: r._id.change, members: r.members })),
    };
  }

  async tiersOf(memberIds: readonly string[]): Promise<Map<string, StoredTier>> {
    const docs = await this.Tier.find({ _id: { $in: [...memberIds] } }).lean<MemberTierDocument[]>();
    return new Map(docs.map((d) => [d._id, d.tier]));
  }

  /**
   * Writes evaluated tiers. Each write replaces the member's document only if it still holds the evaluation
   * the new one was computed from (its `evaluatedAt`), so two evaluations racing cannot lose a history entry;
   * the loser is simply not applied and the next evaluation starts from the winner.
   */
  async save(
    evaluated: readonly { memberId: string; previousEvaluatedAt: string | null; tier: StoredTier }[],
  ): Promise<void> {
    for (let i = 0; i < evaluated.length; i += BATCH) {
      await this.Tier.bulkWrite(
        evaluated.slice(i, i + BATCH).map(({ memberId, previousEvaluatedAt, tier }) =>
          previousEvaluatedAt === null
            ? {
                updateOne: {
                  filter: { _id: memberId },
                  update: { $setOnInsert: { tier } },
                  upsert: true,
                },
              }
            : {
                updateOne: {
                  filter: { _id: memberId, 'tier.evaluatedAt': previousEvaluatedAt },
                  update: { $set: { tier } },
                },
              },
        ),
        { ordered: false },
      );
    }
  }
}
