import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type {
  IntelligenceModel,
  MemberChurnScore,
  PartnerPurchaseDays,
} from '../domain/intelligence-model.js';
import { requiredString, requiredDate, requiredMixed, nullableMixed } from '../../shared/db/schema-fields.js';

/** One trained model version, kept whole (a few hundred kB at most: centroids, breakpoints, item neighbours). */
export interface IntelligenceModelDocument {
  _id: string;
  trainedAt: Date;
  model: IntelligenceModel;
}

/** Which version the services apply: one document, switched by the training job after everything is written. */
export interface CurrentModelDocument {
  _id: 'current';
  version: string;
  publishedAt: Date;
}

/**
 * What training stored for one member: their purchase days at each brand they consented to share (lifetime
 * value is computed from these at query time, for the brands still consented then) and their churn figures
 * as of training (for the operators' list of high-value members at risk).
 */
export interface MemberFeaturesDocument {
  _id: string;
  modelVersion: string;
  purchaseDays: PartnerPurchaseDays[];
  churn: Omit<MemberChurnScore, 'memberId'> | null;
  /** The member's value segment as of training, and the brands it was computed from (benefit rules read it). */
  segment?: StoredSegment | null;
}

export interface StoredSegment {
  id: string;
  label: string;
  partners: string[];
}

const modelSchema = new Schema<IntelligenceModelDocument>(
  {
    _id: requiredString,
    trainedAt: requiredDate,
    model: requiredMixed,
  },
  { collection: 'intelligence_models', versionKey: false, minimize: false },
);

const currentSchema = new Schema<CurrentModelDocument>(
  {
    _id: requiredString,
    version: requiredString,
    publishedAt: requiredDate,
  },
  { collection: 'intelligence_current', versionKey: false },
);

const featuresSchema = new Schema<MemberFeaturesDocument>(
  {
    _id: requiredString,
    modelVersion: requiredString,
    purchaseDays: { type: Schema.Types.Mixed, default: [] },
    churn: nullableMixed,
    segment: nullableMixed,
  },
  { collection: 'member_features', versionKey: false, minimize: false },
);
// The operators' list: high-value members at risk, most value at stake first, then by id (a stable page order).
featuresSchema.index({ 'churn.highValueAtRisk': 1, 'churn.valueAtRiskMinor': -1, _id: 1 });
// Removing the features of members the latest training no longer saw.
featuresSchema.index({ modelVersion: 1 });

export interface IntelligenceModels {
  Model: Model<IntelligenceModelDocument>;
  Current: Model<CurrentModelDocument>;
  Features: Model<MemberFeaturesDocument>;
}

export function intelligenceModels(connection: Connection): IntelligenceModels {
  return {
    Model: connection.model<IntelligenceModelDocument>('IntelligenceModel', modelSchema),
    Current: connection.model<CurrentModelDocument>('IntelligenceCurrent', currentSchema),
    Features: connection.model<MemberFeaturesDocument>('MemberFeatures', featuresSchema),
  };
}

const FEATURE_BATCH = 500;

/** Reads and writes of the member-intelligence model and the member features training stores. */
export class IntelligenceStore {
  constructor(private readonly models: IntelligenceModels) {}

  async init(): Promise<void> {
    await Promise.all(Object.values(this.models).map((m: Model<unknown>) => m.init()));
  }

  /** The version the services should apply, or null before the first training. */
  async currentVersion(): Promise<string | null> {
    return (await this.currentPublication())?.version ?? null;
  }

  /**
   * The version in use and when the last training published it: every training run (also the scheduled tier
   * evaluation) publishes, so a later `publishedAt` with the same version means the stored tiers were
   * evaluated again.
   */
  async currentPublication(): Promise<{ version: string; publishedAt: Date } | null> {
    const current = await this.models.Current.findById('current').lean<CurrentModelDocument>();
    return current ? { version: current.version, publishedAt: current.publishedAt } : null;
  }

  async loadModel(version: string): Promise<IntelligenceModel | null> {
    const doc = await this.models.Model.findById(version).lean<IntelligenceModelDocument>();
    return doc?.model ?? null;
  }

  /**
   * Publishes a trained model in an order that is safe to repeat and to interrupt: the model document, then
   * each member's features, then stale features removed, and only then the switch to the new version. A
   * crash before the switch leaves the previous version in use; running the training again finishes it.
   */
  async publish(
    model: IntelligenceModel,
    features: readonly Omit<MemberFeaturesDocument, 'modelVersion'>[],
    at: Date,
    onProgress: (written: number) => void = () => undefined,
  ): Promise<void> {
    await this.models.Model.replaceOne(
      { _id: model.version },
      { _id: model.version, trainedAt: at, model },
      { upsert: true },
    );
    for (let i = 0; i < features.length; i += FEATURE_BATCH) {
      const batch = features.slice(i, i + FEATURE_BATCH);
      await this.models.Features.bulkWrite(
        batch.map((f) => ({
          replaceOne: {
            filter: { _id: f._id },
            replacement: { ...f, modelVersion: model.version },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      onProgress(i + batch.length);
    }
    await this.models.Features.deleteMany({ modelVersion: { $ne: model.version } });
    await this.models.Current.replaceOne(
      { _id: 'current' },
      { _id: 'current', version: model.version, publishedAt: at },
      { upsert: true },
    );
  }

  async featuresOf(memberIds: readonly string[]): Promise<Map<string, MemberFeaturesDocument>> {
    const docs = await this.models.Features.find({ _id: { $in: [...memberIds] } }).lean<
      MemberFeaturesDocument[]
    >();
    return new Map(docs.map((d) => [d._id, d]));
  }

  /**
   * High-value members at risk as of training, most value at stake first, then by id: a page of `limit`
   * after the position `after` (keyset, served by the index on those three keys).
   */
  async highValueAtRisk(
    limit: number,
    after: AtRiskPosition | null = null,
  ): Promise<MemberFeaturesDocument[]> {
    const filter = after
      ? {
          'churn.highValueAtRisk': true,
          $or: [
            { 'churn.valueAtRiskMinor': { $lt: after.valueAtRiskMinor } },
            { 'churn.valueAtRiskMinor': after.valueAtRiskMinor, _id: { $gt: after.memberId } },
          ],
        }
      : { 'churn.highValueAtRisk': true };
    return this.models.Features.find(filter)
      .sort({ 'churn.highValueAtRisk': 1, 'churn.valueAtRiskMinor': -1, _id: 1 })
      .limit(limit)
      .lean<MemberFeaturesDocument[]>();
  }
}

/** A place in the list of high-value members at risk: the value at stake as of training, then the member id. */
export interface AtRiskPosition {
  valueAtRiskMinor: number;
  memberId: string;
}
