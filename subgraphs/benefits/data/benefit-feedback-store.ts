import type { Connection, Model } from 'mongoose';
import { SharedSnapshot } from '../../shared/cache/shared-snapshot.js';
import { Schema } from 'mongoose';
import type { TierCode } from '../../shared/domain/tiers.js';
import type { FeedbackCounts, FeedbackInput, MemberFeedback } from '../domain/feedback/benefit-feedback.js';
import { NO_FEEDBACK, applyFeedback } from '../domain/feedback/benefit-feedback.js';
import {
  requiredString,
  requiredNumber,
  requiredDate,
  nullableNumber,
  countFromZero,
} from '../../shared/db/schema-fields.js';

/** One member's feedback on one benefit (`_id`: member and benefit), changed by compare-and-set on `version`. */
export interface FeedbackDocument extends MemberFeedback {
  _id: string;
  memberId: string;
  benefit: string;
  partner: string;
  version: number;
  updatedAt: Date;
}

/** The counts of one benefit in one tier (`_id`: benefit and tier). */
export interface FeedbackStatsDocument extends FeedbackCounts {
  _id: string;
  benefit: string;
  partner: string;
  tier: TierCode;
}

const feedbackSchema = new Schema<FeedbackDocument>(
  {
    _id: requiredString,
    memberId: requiredString,
    benefit: requiredString,
    partner: requiredString,
    tier: requiredString,
    actions: { type: Schema.Types.Mixed, default: {} },
    rating: nullableNumber,
    version: requiredNumber,
    updatedAt: requiredDate,
  },
  { collection: 'benefit_feedback', versionKey: false, minimize: false },
);

const statsSchema = new Schema<FeedbackStatsDocument>(
  {
    _id: requiredString,
    benefit: requiredString,
    partner: requiredString,
    tier: requiredString,
    shown: countFromZero,
    clicked: countFromZero,
    dismissed: countFromZero,
    redeemed: countFromZero,
    engaged: countFromZero,
    ratings: countFromZero,
    ratingSum: countFromZero,
  },
  { collection: 'benefit_feedback_stats', versionKey: false },
);
// Matching reads one tier's counts; staff read one partner's.
statsSchema.index({ tier: 1 });
statsSchema.index({ partner: 1, _id: 1 });

const DUPLICATE_KEY = 11000;
const MAX_ATTEMPTS = 10;

export class FeedbackConflictError extends Error {}

/** How long a tier's feedback counts are used again before they are read anew. */
export const COUNTS_HELD_MS = 5_000;

/**
 * Members' feedback on benefits, and the counts per benefit and tier that matching learns from. Each
 * answer is a compare-and-set of the member's document (or its insert, unique by `_id`), so a repeated or
 * concurrent answer is counted once; what it adds is then `$inc`ed into the counts. A crash between the two
 * writes can leave an answer out of the counts, never count it twice.
 */
export class BenefitFeedbackStore {
  /** Each tier's counts as last read, for `countsForTier` (see `COUNTS_HELD_MS`). */
  private readonly heldCounts = new Map<TierCode, SharedSnapshot<Map<string, FeedbackCounts>>>();

  constructor(
    private readonly Feedback: Model<FeedbackDocument>,
    private readonly Stats: Model<FeedbackStatsDocument>,
    private readonly now: () => number = Date.now,
  ) {}

  static async open(connection: Connection): Promise<BenefitFeedbackStore> {
    const Feedback = connection.model<FeedbackDocument>('BenefitFeedback', feedbackSchema);
    const Stats = connection.model<FeedbackStatsDocument>('BenefitFeedbackStats', statsSchema);
    await Promise.all([Feedback.init(), Stats.init()]);
    return new BenefitFeedbackStore(Feedback, Stats);
  }

  /** Records an answer (throws `FeedbackInputError` on a bad rating) and returns the member's feedback. */
  async record(
    memberId: string,
    benefit: { code: string; partner: string },
    input: FeedbackInput,
  ): Promise<FeedbackDocument> {
    const id = `${memberId}|${benefit.code}`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.Feedback.findById(id).lean<FeedbackDocument>();
      const { next, increments } = applyFeedback(current, input);
      if (current && Object.keys(increments).length === 0 && next.rating === current.rating) return current;
      const doc: FeedbackDocument = {
        _id: id,
        memberId,
        benefit: benefit.code,
        partner: benefit.partner,
        ...next,
        version: (current?.version ?? 0) + 1,
        updatedAt: input.at,
      };
      try {
        if (current) {
          const { _id: _ignored, ...set } = doc;
          const result = await this.Feedback.updateOne({ _id: id, version: current.version }, { $set: set });
          if (result.modifiedCount !== 1) continue;
        } else {
          await this.Feedback.create(doc);
        }
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) continue;
        throw error;
      }
      if (Object.keys(increments).length > 0) {
        await this.Stats.updateOne(
          { _id: `${benefit.code}|${next.tier}` },
          {
            $inc: increments,
            $setOnInsert: { benefit: benefit.code, partner: benefit.partner, tier: next.tier },
          },
          { upsert: true },
        );
        this.heldCounts.get(next.tier)?.drop(); // this process's next bundle for the tier counts the answer
      }
      return doc;
    }
    throw new FeedbackConflictError(`feedback ${id} kept changing`);
  }

  /**
   * The counts of every benefit with feedback in a tier, by benefit code: read on every benefits bundle, so
   * held for `COUNTS_HELD_MS` (an answer recorded by this process drops its tier's at once; one recorded by
   * another process counts within that time). Shared by the requests that read it, so never changed.
   */
  countsForTier(tier: TierCode): Promise<Map<string, FeedbackCounts>> {
    let held = this.heldCounts.get(tier);
    if (!held) {
      held = new SharedSnapshot(
        `feedback-counts-${tier}`,
        'benefits:feedback-counts',
        async () => {
          const rows = await this.Stats.find({ tier }).lean<FeedbackStatsDocument[]>();
          return new Map(rows.map((row) => [row.benefit, countsOf(row)]));
        },
        { ttlMs: COUNTS_HELD_MS, now: this.now },
      );
      this.heldCounts.set(tier, held);
    }
    return held.current();
  }

  /** Counts per benefit and tier, of one partner or of all. */
  async stats(partner?: string): Promise<FeedbackStatsDocument[]> {
    return this.Stats.find(partner ? { partner } : {})
      .sort({ _id: 1 })
      .lean<FeedbackStatsDocument[]>();
  }
}

export const countsOf = (row: Partial<FeedbackCounts>): FeedbackCounts => ({
  shown: row.shown ?? NO_FEEDBACK.shown,
  clicked: row.clicked ?? 0,
  dismissed: row.dismissed ?? 0,
  redeemed: row.redeemed ?? 0,
  engaged: row.engaged ?? 0,
  ratings: row.ratings ?? 0,
  ratingSum: row.ratingSum ?? 0,
});
