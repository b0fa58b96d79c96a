import DataLoader from 'dataloader';
import type { PointsLot } from '../domain/points-lot.js';
import type { WalletStore } from './wallet-store.js';

export interface WalletLots {
  lots: PointsLot[];
  lifetimeEarned: number;
}

/** The lots of many members' wallets in one query (a list of members asks for its wallets in one go). */
export function walletLotsLoader(store: WalletStore): DataLoader<string, WalletLots> {
  return new DataLoader(async (memberIds) => {
    const docs = await store.lotsOf(memberIds);
    return memberIds.map((id) => {
      const doc = docs.get(id);
      return { lots: doc?.lots ?? [], lifetimeEarned: doc?.lifetimeEarned ?? 0 };
    });
  });
}
