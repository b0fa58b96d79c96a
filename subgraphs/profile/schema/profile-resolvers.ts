import type { GraphQLResolveInfo } from 'graphql';
import { recordMemberRead } from '../data/access-log.js';
import { selectedFields } from '../domain/privacy/selected-fields.js';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { consentedBehaviours, requiredBehaviours } from '../../shared/domain/cross-brand-profile.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { badInput } from '../../shared/errors.js';
import { MinorUnitsScalar } from '../../shared/scalars/safe-integer-scalars.js';
import { validateIdentifier, validatePageSize, validatePartner } from '../../shared/argument-validation.js';
import { cursorCodec, toConnection } from '../../shared/cursor-pagination.js';
import type { MemberDocument } from '../data/member-model.js';
import { accountKey } from '../data/member-model.js';
import { crossBrandProfilesOf } from '../../shared/cache/cross-brand-profiles.js';
import type { ProfileContext } from '../context.js';
import { PROFILE_INPUTS } from './profile-inputs.js';
import { LEGACY_NOTICE_VERSION, partnersConsentedFor } from '../domain/consent/consent-purposes.js';
import { storedTierUnderConsent } from '../domain/tier-evaluation.js';
import { signedInMemberId } from '../../shared/auth/principal.js';

/** A member as the profile subgraph resolves it: its document plus, in entity fetches, the required inputs. */
type MemberParent = MemberDocument & Record<string, unknown>;

export interface ProfileResolverDeps {
  registry: PartnerRegistry;
  model: PopulationModel;
  now: () => Date;
}

const memberCursor = cursorCodec('member');

export function profileResolvers({
  registry,
  model,
  now,
}: ProfileResolverDeps): GraphQLResolverMap<ProfileContext> {
  const partners = registry.partners.map((p) => p.key);
  const profiles = crossBrandProfilesOf(model);
  return {
    MinorUnits: MinorUnitsScalar,
    Query: {
      me: (_: unknown, __: unknown, ctx: ProfileContext) =>
        ctx.principal.role === 'member' ? ctx.loaders.memberById.load(ctx.principal.memberId) : null,
      member: async (_: unknown, args: { id: string }, ctx: ProfileContext, info: GraphQLResolveInfo) =>
        recordMemberRead(ctx, await ctx.loaders.memberById.load(validateIdentifier(args.id, 'id')), info),
      memberByPartnerAccount: async (
        _: unknown,
        args: { partner: string; partnerMemberId: string },
        ctx: ProfileContext,
        info: GraphQLResolveInfo,
      ) => {
        const member = await ctx.loaders.memberByAccountKey.load(
          accountKey(
            validatePartner(registry, args.partner),
            validateIdentifier(args.partnerMemberId, 'partnerMemberId'),
          ),
        );
        if (member) ctx.loaders.memberById.prime(member._id, member);
        return recordMemberRead(ctx, member, info);
      },
      members: async (
        _: unknown,
        args: { first: number; after?: string | null },
        ctx: ProfileContext,
        info: GraphQLResolveInfo,
      ) => {
        const first = validatePageSize(args.first);
        const filter = args.after ? { _id: { $gt: memberCursor.decode(args.after) } } : {};
        const [rows, totalCount] = await Promise.all([
          ctx.members
            .find(filter)
            .sort({ _id: 1 })
            .limit(first + 1)
            .lean<MemberDocument[]>(),
          ctx.members.estimatedDocumentCount(),
        ]);
        const page = toConnection(rows, first, totalCount, memberCursor);
        // The `_entities` fetch that follows for the page's members (profile, partners' fields) reads none again.
        for (const edge of page.edges) ctx.loaders.memberById.prime(edge.node._id, edge.node);
        ctx.accessLog.record(
          ctx.principal,
          ctx.requestId,
          page.edges.map((edge) => edge.node._id),
          selectedFields(info, ['edges', 'node']),
          new Date(),
        );
        return page;
      },
    },
    Mutation: {
      grantPartnerConsent: (_: unknown, args: { partner: string }, ctx: ProfileContext) =>
        setConsent(ctx, validatePartner(registry, args.partner), true, now()),
      revokePartnerConsent: (_: unknown, args: { partner: string }, ctx: ProfileContext) =>
        setConsent(ctx, validatePartner(registry, args.partner), false, now()),
    },
    Member: {
      __resolveReference: async (
        ref: { id: string } & Record<string, unknown>,
        ctx: ProfileContext,
        info: GraphQLResolveInfo,
      ) => {
        const doc = recordMemberRead(ctx, await ctx.loaders.memberById.load(ref.id), info);
        return doc ? { ...doc, ...ref } : null;
      },
      id: (m: MemberParent) => m._id,
      partners: (m: MemberParent) => m.links.map((l) => ({ ...l, partnerMemberId: l.partnerMemberId })),
      consentedPartners: (m: MemberParent) => partnersConsentedFor(m.links, 'CROSS_BRAND_PROFILE'),
      profile: async (m: MemberParent, _: unknown, ctx: ProfileContext) => {
        const behaviours = requiredBehaviours(m, partners);
        const consented = partnersConsentedFor(m.links, 'CROSS_BRAND_PROFILE');
        // The tier is the one the scheduled evaluation stored, as the benefits subgraph reads it (Member.storedTier).
        const storedTier =
          storedTierUnderConsent(await ctx.intelligenceLoaders.tierById.load(m._id), consented)?.code ?? null;
        const inputs = { behaviours, partners, consentedPartners: consented, storedTier };
        const fingerprint = profiles.fingerprint(inputs);
        // The cache shared by the profile's processes first, else this process's profiles: computed once
        // per fingerprint, whichever of the profile and benefits subgraphs asks first.
        let profile = await ctx.profileCache.get(m._id, fingerprint);
        if (profile) profiles.remember(fingerprint, profile);
        else {
          profile = profiles.profileOf(inputs, fingerprint).profile;
          // A profile missing a brand that did not answer is not worth keeping.
          if (profile.unavailablePartners.length === 0)
            await ctx.profileCache.set(m._id, fingerprint, profile);
        }
        return {
          ...profile,
          compositeScore: profile.composite.score,
          scoreBreakdown: profile.composite,
          [PROFILE_INPUTS]: {
            memberId: m._id,
            consentedPartners: consented,
            behaviours: consentedBehaviours(behaviours, consented),
          },
        };
      },
    },
  } as GraphQLResolverMap<ProfileContext>;
}

/**
 * The single-purpose mutations of before purposes: their consent covered the cross-brand profile and benefit
 * matching, so they answer those two purposes (under the notice version the legacy records carry).
 */
async function setConsent(ctx: ProfileContext, partner: string, granted: boolean, at: Date) {
  const member = await ctx.store.answerConsent(selfId(ctx), partner, {
    purposes: ['CROSS_BRAND_PROFILE', 'PERSONALISED_BENEFITS'],
    granted,
    noticeVersion: LEGACY_NOTICE_VERSION,
    at,
  });
  await ctx.profileCache.invalidate(member._id).catch(() => undefined); // the fingerprint guards it anyway
  return member;
}

const selfId = (ctx: ProfileContext): string =>
  signedInMemberId(ctx.principal, () => badInput('Only a member can change their own consent.'));
