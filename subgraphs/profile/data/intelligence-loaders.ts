import DataLoader from 'dataloader';
import type { FetchMemo } from '../../shared/http/client-request-memo.js';
import type { IntelligenceStore, MemberFeaturesDocument } from './intelligence-store.js';
import type { StoredTier } from '../domain/tier-evaluation.js';
import type { TierStore } from './tier-store.js';

export interface IntelligenceLoaders {
  readonly featuresById: DataLoader<string, MemberFeaturesDocument | null>;
  readonly tierById: DataLoader<string, StoredTier | null>;
}

/**
 * Per client request, like every loader (see `createProfileLoaders`): one query for the features of all the
 * members a request touches, shared by its root field and `_entities` fetches.
 */
export function createIntelligenceLoaders(
  store: IntelligenceStore,
  tiers: TierStore,
  memo: FetchMemo,
): IntelligenceLoaders {
  return {
    get featuresById() {
      return memo.get('profile.featuresById', () => byIdLoader((ids) => store.featuresOf(ids)));
    },
    get tierById() {
      return memo.get('profile.tierById', () => byIdLoader((ids) => tiers.tiersOf(ids)));
    },
  };
}

/** One query for all the ids a request asks for; null for an id the store does not hold. */
function byIdLoader<T>(
  lookup: (ids: readonly string[]) => Promise<ReadonlyMap<string, T>>,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const byId = await lookup(ids);
    return ids.map((id) => byId.get(id) ?? null);
  });
}
