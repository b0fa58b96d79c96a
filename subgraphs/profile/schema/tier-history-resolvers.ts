import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { TierBand } from '../../shared/domain/tiers.js';
import { DEFAULT_TIER_BANDS } from '../../shared/domain/tiers.js';
import type { ProfileContext } from '../context.js';
import { profileInputsOf } from './profile-inputs.js';
import type { MemberDocument } from '../data/member-model.js';
import { partnersConsentedFor } from '../domain/consent/consent-purposes.js';
import { storedSegmentUnderConsent, storedTierUnderConsent } from '../domain/tier-evaluation.js';

/**
 * The stored tier and its history; read through the per-request loader, never recomputed here. The held tier
 * (and `Member.storedTier`, the input of benefit matching) is set aside while it was scored from a brand the
 * member has since stopped sharing; the history stays the history.
 */
export function tierHistoryResolvers(
  bands: readonly TierBand[] = DEFAULT_TIER_BANDS,
): GraphQLResolverMap<ProfileContext> {
  const band = (code: string) => bands.find((b) => b.code === code);
  return {
    Member: {
      storedTier: async (m: MemberDocument, _: unknown, ctx: ProfileContext) => {
        const stored = await ctx.intelligenceLoaders.tierById.load(m._id);
        return (
          storedTierUnderConsent(stored, partnersConsentedFor(m.links, 'CROSS_BRAND_PROFILE'))?.code ?? null
        );
      },
      storedSegment: async (m: MemberDocument, _: unknown, ctx: ProfileContext) => {
        const features = await ctx.intelligenceLoaders.featuresById.load(m._id);
        return storedSegmentUnderConsent(
          features?.segment,
          partnersConsentedFor(m.links, 'CROSS_BRAND_PROFILE'),
        );
      },
    },
    CrossBrandProfile: {
      heldTier: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const { memberId, consentedPartners } = profileInputsOf(profile);
        const stored = storedTierUnderConsent(
          await ctx.intelligenceLoaders.tierById.load(memberId),
          consentedPartners,
        );
        return stored && { ...stored, tier: band(stored.code) };
      },
      tierHistory: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const stored = await ctx.intelligenceLoaders.tierById.load(profileInputsOf(profile).memberId);
        return (stored?.history ?? []).map((entry) => ({ ...entry, change: entry.change.toUpperCase() }));
      },
    },
  } as GraphQLResolverMap<ProfileContext>;
}
