import DataLoader from 'dataloader';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';

export interface BenefitLoaders {
  benefitById: DataLoader<string, BenefitDocument | null>;
  /** The whole catalogue, read once per request however many bundles it serves. */
  catalogue: () => Promise<BenefitDocument[]>;
}

export function createBenefitLoaders(Benefit: BenefitModel): BenefitLoaders {
  let catalogue: Promise<BenefitDocument[]> | null = null;
  return {
    benefitById: new DataLoader(async (ids) => {
      const docs = await Benefit.find({ _id: { $in: [...ids] } }).lean<BenefitDocument[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    catalogue: () => (catalogue ??= Benefit.find({}).sort({ _id: 1 }).lean<BenefitDocument[]>().exec()),
  };
}
