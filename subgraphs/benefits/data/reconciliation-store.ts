import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { PointsLedgerModel } from './points-ledger.js';

/**
 * How far the reconciliation sweep has checked a brand's published events: everything published up to
 * `checkedThrough` was found in the ledger or republished. One document per brand, `_id` the partner key.
 */
export interface ReconciliationWatermark {
  _id: string;
  checkedThrough: Date;
  updatedAt: Date;
}

const watermarkSchema = new Schema<ReconciliationWatermark>(
  {
    _id: { type: String, required: true },
    checkedThrough: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'reconciliation_watermarks', versionKey: false },
);

/** The sweep's reads and writes in the benefits database: watermarks, and which ledger keys exist. */
export class ReconciliationStore {
  private readonly Watermark: Model<ReconciliationWatermark>;

  constructor(
    connection: Connection,
    private readonly Ledger: PointsLedgerModel,
  ) {
    this.Watermark = connection.model<ReconciliationWatermark>('ReconciliationWatermark', watermarkSchema);
  }

  async watermark(partner: string): Promise<Date | null> {
    const doc = await this.Watermark.findById(partner).lean<ReconciliationWatermark>();
    return doc?.checkedThrough ?? null;
  }

  /** Moves the watermark forward only: a slower concurrent run (another replica) cannot pull it back. */
  async saveWatermark(partner: string, checkedThrough: Date): Promise<void> {
    await this.Watermark.updateOne(
      { _id: partner },
      { $max: { checkedThrough }, $set: { updatedAt: new Date() } },
      { upsert: true },
    );
  }

  /** The keys among `keys` that are in the ledger: one `_id` index lookup per batch. */
  /** The subscription keys among `keys` that some membership history holds (its `history.key` index). */
  async subscriptionKeysRecorded(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const wanted = new Set(keys);
    const found = await this.Watermark.db
      .collection<{ history: { key: string }[] }>('memberships')
      .find({ 'history.key': { $in: [...keys] } }, { projection: { 'history.key': 1 } })
      .toArray();
    return new Set(found.flatMap((doc) => doc.history.map((h) => h.key).filter((k) => wanted.has(k))));
  }

  async ledgerKeysPresent(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.Ledger.find({ _id: { $in: keys } }, { _id: 1 }).lean<{ _id: string }[]>();
    return new Set(found.map((entry) => entry._id));
  }
}
