import DataLoader from 'dataloader';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';
import type { CatalogueSnapshot, CatalogueView } from './catalogue-snapshot.js';
import type { WalletLots } from './wallet-loaders.js';
import { walletLotsLoader } from './wallet-loaders.js';
import type { WalletStore } from './wallet-store.js';

export interface BenefitLoaders {
  /** From the store, as of now: what redemption checks its terms against. */
  benefitById: DataLoader<string, BenefitDocument | null>;
  /** The whole catalogue, held in memory between changes (see `CatalogueSnapshot`). */
  catalogue: () => Promise<CatalogueView>;
  walletLots: DataLoader<string, WalletLots>;
}

export function createBenefitLoaders(
  Benefit: BenefitModel,
  catalogue: CatalogueSnapshot,
  wallets: WalletStore,
): BenefitLoaders {
  return {
    benefitById: new DataLoader(async (ids) => {
      const docs = await Benefit.find({ _id: { $in: [...ids] } }).lean<BenefitDocument[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    catalogue: () => catalogue.current(),
    walletLots: walletLotsLoader(wallets),
  };
}
