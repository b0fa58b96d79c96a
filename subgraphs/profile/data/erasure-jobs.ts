import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { StoreErasureReceipt } from '../../shared/events/member-lifecycle-message.js';
import { requiredString, requiredDate, nullableDate, countFromZero } from '../../shared/db/schema-fields.js';

export type ErasureState = 'PENDING' | 'COMPLETE';

/**
 * The durable record of one member's erasure (docs/architecture.md §7). `_id` is a digest of the member id,
 * so the member (whose token still names them) finds their receipts after everything else is gone, and the
 * job keeps no identifier once complete: `memberId` and `accounts` are needed to ask the stores again and
 * are removed in the write that completes the job.
 */
export interface ErasureJobDocument {
  _id: string;
  state: ErasureState;
  memberId?: string;
  accounts?: Record<string, string>;
  /** Every store that must answer with a receipt. */
  stores: string[];
  receipts: StoreErasureReceipt[];
  requestedAt: Date;
  /** Who asked: `member` or `admin` (no personal data). */
  requestedBy: string;
  /** When the stores were last asked (the epoch until the first time). */
  lastSentAt: Date;
  attempts: number;
  completedAt: Date | null;
}

const jobSchema = new Schema<ErasureJobDocument>(
  {
    _id: requiredString,
    state: requiredString,
    memberId: { type: String },
    accounts: { type: Schema.Types.Mixed },
    stores: { type: [String], required: true },
    receipts: { type: Schema.Types.Mixed, default: [] },
    requestedAt: requiredDate,
    requestedBy: requiredString,
    lastSentAt: requiredDate,
    attempts: countFromZero,
    completedAt: nullableDate,
  },
  { collection: 'erasureJobs', versionKey: false, minimize: false },
);
// The retry sweep reads pending jobs last sent longest ago.
jobSchema.index({ state: 1, lastSentAt: 1 });

const NEVER = new Date(0);

export type ErasureJobModel = Model<ErasureJobDocument>;

export function erasureJobModel(connection: Connection): ErasureJobModel {
  return connection.model<ErasureJobDocument>('ErasureJob', jobSchema);
}

export const erasureJobId = (memberId: string): string =>
  createHash('sha256').update(`erasure\u0000${memberId}`).digest('hex').slice(0, 32);

/** Each step is one conditional write; no transaction spans them. */
export class ErasureJobStore {
  constructor(private readonly Job: ErasureJobModel) {}

  async init(): Promise<void> {
    await this.Job.init();
  }

  byMember(memberId: string): Promise<ErasureJobDocument | null> {
    return this.Job.findById(erasureJobId(memberId)).lean<ErasureJobDocument>().exec();
  }

  byId(jobId: string): Promise<ErasureJobDocument | null> {
    return this.Job.findById(jobId).lean<ErasureJobDocument>().exec();
  }

  /** Opens the member's job, or answers the one already open or done (a repeated request). */
  async open(
    memberId: string,
    accounts: Record<string, string>,
    stores: string[],
    requestedBy: string,
    at: Date,
  ): Promise<ErasureJobDocument> {
    const _id = erasureJobId(memberId);
    await this.Job.updateOne(
      { _id },
      {
        $setOnInsert: {
          state: 'PENDING',
          memberId,
          accounts,
          stores,
          receipts: [],
          requestedAt: at,
          requestedBy,
          lastSentAt: NEVER,
          attempts: 0,
          completedAt: null,
        },
      },
      { upsert: true },
    );
    return (await this.Job.findById(_id).lean<ErasureJobDocument>())!;
  }

  /** Pending jobs not sent for `retryMs` (or never). */
  due(now: Date, retryMs: number, limit = 50): Promise<ErasureJobDocument[]> {
    return this.Job.find({
      state: 'PENDING',
      lastSentAt: { $lt: new Date(now.getTime() - retryMs) },
    })
      .limit(limit)
      .lean<ErasureJobDocument[]>()
      .exec();
  }

  async markSent(jobId: string, at: Date): Promise<void> {
    await this.Job.updateOne(
      { _id: jobId, state: 'PENDING' },
      { $set: { lastSentAt: at }, $inc: { attempts: 1 } },
    );
  }

  /** Keeps the first receipt of each store (a repeated erasure finds nothing more to remove). */
  async recordReceipt(jobId: string, receipt: StoreErasureReceipt): Promise<void> {
    await this.Job.updateOne(
      { _id: jobId, state: 'PENDING', 'receipts.store': { $ne: receipt.store } },
      { $push: { receipts: receipt } },
    );
  }

  /** Completes the job once every store has answered, dropping the identifiers it kept for retries. */
  async completeIfDone(jobId: string, at: Date): Promise<void> {
    const job = await this.Job.findById(jobId).lean<ErasureJobDocument>();
    if (!job || job.state !== 'PENDING') return;
    const answered = new Set(job.receipts.map((r) => r.store));
    if (!job.stores.every((s) => answered.has(s))) return;
    await this.Job.updateOne(
      { _id: jobId, state: 'PENDING', 'receipts.store': { $all: job.stores } },
      { $set: { state: 'COMPLETE', completedAt: at }, $unset: { memberId: '', accounts: '' } },
    );
  }
}
