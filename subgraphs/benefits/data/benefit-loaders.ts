import DataLoader from 'dataloader';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';
import type { WalletLots } from './wallet-loaders.js';
import { walletLotsLoader } from './wallet-loaders.js';
import type { WalletStore } from './wallet-store.js';

export interface BenefitLoaders {
  benefitById: DataLoader<string, BenefitDocument | null>;
  /** The whole catalogue, read once per request however many bundles it serves. */
  catalogue: () => Promise<BenefitDocument[]>;
  walletLots: DataLoader<string, WalletLots>;
}

export function createBenefitLoaders(Benefit: BenefitModel, wallets: WalletStore): BenefitLoaders {
  let catalogue: Promise<BenefitDocument[]> | null = null;
  return {
    benefitById: new DataLoader(async (ids) => {
      const docs = await Benefit.find({ _id: { $in: [...ids] } }).lean<BenefitDocument[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    catalogue: () => (catalogue ??= Benefit.find({}).sort({ _id: 1 }).lean<BenefitDocument[]>().exec()),
    walletLots: walletLotsLoader(wallets),
  };
}
