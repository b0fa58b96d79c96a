import DataLoader from 'dataloader';
import type { IntelligenceStore, MemberFeaturesDocument } from './intelligence-store.js';

export interface IntelligenceLoaders {
  featuresById: DataLoader<string, MemberFeaturesDocument | null>;
}

/** Per request, like every loader: one query for the features of all the members a request touches. */
export function createIntelligenceLoaders(store: IntelligenceStore): IntelligenceLoaders {
  return {
    featuresById: new DataLoader(async (ids) => {
      const byId = await store.featuresOf(ids);
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
