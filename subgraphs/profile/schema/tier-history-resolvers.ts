import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { TierBand } from '../../shared/domain/tiers.js';
import { DEFAULT_TIER_BANDS } from '../../shared/domain/tiers.js';
import type { ProfileContext } from '../context.js';
import { profileInputsOf } from './profile-inputs.js';

/** The stored tier and its history; read through the per-request loader, never recomputed here. */
export function tierHistoryResolvers(
  bands: readonly TierBand[] = DEFAULT_TIER_BANDS,
): GraphQLResolverMap<ProfileContext> {
  const band = (code: string) => bands.find((b) => b.code === code);
  return {
    Member: {
      storedTier: async (m: { _id: string }, _: unknown, ctx: ProfileContext) =>
        (await ctx.intelligenceLoaders.tierById.load(m._id))?.code ?? null,
    },
    CrossBrandProfile: {
      heldTier: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const stored = await ctx.intelligenceLoaders.tierById.load(profileInputsOf(profile).memberId);
        return stored && { ...stored, tier: band(stored.code) };
      },
      tierHistory: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const stored = await ctx.intelligenceLoaders.tierById.load(profileInputsOf(profile).memberId);
        return (stored?.history ?? []).map((entry) => ({ ...entry, change: entry.change.toUpperCase() }));
      },
    },
  } as GraphQLResolverMap<ProfileContext>;
}
