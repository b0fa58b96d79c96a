import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { LedgerKind, PointsChange } from '../domain/earning-rules.js';

/** One line of the append-only points ledger; `_id` is the idempotency key of what caused it. */
export interface PointsLedgerEntry {
  _id: string;
  memberId: string;
  kind: LedgerKind;
  points: number;
  partner: string;
  sourceEventId: string;
  occurredAt: Date;
  availableAt: Date;
  recordedAt: Date;
  /** The campaign that issued the entry (its extra points), when one did. */
  campaignId?: string | null;
}

const ledgerSchema = new Schema<PointsLedgerEntry>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, required: true },
    kind: { type: String, required: true },
    points: { type: Number, required: true },
    partner: { type: String, required: true },
    sourceEventId: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    availableAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    campaignId: { type: String, default: undefined },
  },
  { collection: 'points_ledger', versionKey: false },
);
ledgerSchema.index({ memberId: 1, recordedAt: -1, _id: -1 });

export type PointsLedgerModel = Model<PointsLedgerEntry>;

export function pointsLedgerModel(connection: Connection): PointsLedgerModel {
  return connection.model<PointsLedgerEntry>('PointsLedgerEntry', ledgerSchema);
}

export interface WalletBalance {
  /** Points that can be spent now. */
  balance: number;
  /** Points earned but still in their pending period. */
  pending: number;
  lifetimeEarned: number;
}

export type NewLedgerEntry = Omit<PointsLedgerEntry, '_id' | 'recordedAt'> & PointsChange & { key: string };

/** The ledger's writes and reads. Entries are only ever inserted: a correction is a new entry. */
export class PointsLedger {
  constructor(private readonly Ledger: PointsLedgerModel) {}

  /**
   * Appends entries, each once per key: a key already in the ledger is skipped. Returns how many were new.
   */
  async appendMany(entries: readonly NewLedgerEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const recordedAt = new Date();
    const docs = entries.map(({ key, ...entry }) => ({ _id: key, ...entry, recordedAt }));
    try {
      await this.Ledger.insertMany(docs, { ordered: false, lean: true });
      return docs.length;
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code: number }[] | { code: number } }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length === 0 || list.some((e) => e.code !== 11000)) throw error;
      return docs.length - list.length;
    }
  }

  /** Newest first; `after` is the (recordedAt, _id) of the last entry of the previous page. */
  async history(
    memberId: string,
    first: number,
    after?: { recordedAt: Date; id: string },
  ): Promise<PointsLedgerEntry[]> {
    const filter = after
      ? {
          memberId,
          $or: [
            { recordedAt: { $lt: after.recordedAt } },
            { recordedAt: after.recordedAt, _id: { $lt: after.id } },
          ],
        }
      : { memberId };
    return this.Ledger.find(filter)
      .sort({ recordedAt: -1, _id: -1 })
      .limit(first + 1)
      .lean<PointsLedgerEntry[]>();
  }
}
