import DataLoader from 'dataloader';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';
import type { PointsLedgerModel, WalletBalance } from './points-ledger.js';
import { walletBalanceLoader } from './wallet-loaders.js';

export interface BenefitLoaders {
  benefitById: DataLoader<string, BenefitDocument | null>;
  /** The whole catalogue, read once per request however many bundles it serves. */
  catalogue: () => Promise<BenefitDocument[]>;
  walletBalance: DataLoader<string, WalletBalance>;
}

export function createBenefitLoaders(
  Benefit: BenefitModel,
  Ledger: PointsLedgerModel,
  now: () => Date,
): BenefitLoaders {
  let catalogue: Promise<BenefitDocument[]> | null = null;
  return {
    benefitById: new DataLoader(async (ids) => {
      const docs = await Benefit.find({ _id: { $in: [...ids] } }).lean<BenefitDocument[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    catalogue: () => (catalogue ??= Benefit.find({}).sort({ _id: 1 }).lean<BenefitDocument[]>().exec()),
    walletBalance: walletBalanceLoader(Ledger, now),
  };
}
