import DataLoader from 'dataloader';
import type { IntelligenceStore, MemberFeaturesDocument } from './intelligence-store.js';
import type { StoredTier } from '../domain/tier-evaluation.js';
import type { TierStore } from './tier-store.js';

export interface IntelligenceLoaders {
  featuresById: DataLoader<string, MemberFeaturesDocument | null>;
  tierById: DataLoader<string, StoredTier | null>;
}

/** Per request, like every loader: one query for the features of all the members a request touches. */
export function createIntelligenceLoaders(store: IntelligenceStore, tiers: TierStore): IntelligenceLoaders {
  return {
    featuresById: new DataLoader(async (ids) => {
      const byId = await store.featuresOf(ids);
      return ids.map((id) => byId.get(id) ?? null);
    }),
    tierById: new DataLoader(async (ids) => {
      const byId = await tiers.tiersOf(ids);
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
