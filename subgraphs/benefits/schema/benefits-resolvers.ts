import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { validatePageSize, validatePartner } from '../../shared/argument-validation.js';
import { cursorCodec, toConnection } from '../../shared/cursor-pagination.js';
import type { BenefitDocument } from '../data/catalogue-model.js';
import { MinorUnitsScalar } from '../../shared/scalars/safe-integer-scalars.js';
import { toCatalogueBenefit } from '../data/catalogue-model.js';
import { matchBenefitBundle } from '../domain/match-benefit-bundle.js';
import type { BenefitsContext } from '../context.js';
import { eligibleCatalogue } from '../domain/eligibility/eligible-catalogue.js';
import type { MemberRepresentation } from './member-facts-resolution.js';
import { qualifyingCampaigns, resolveMemberFacts } from './member-facts-resolution.js';

export interface BenefitsResolverDeps {
  registry: PartnerRegistry;
  model: PopulationModel;
  now: () => Date;
}

const benefitCursor = cursorCodec('benefit');

export function benefitsResolvers({
  registry,
  model,
  now,
}: BenefitsResolverDeps): GraphQLResolverMap<BenefitsContext> {
  return {
    MinorUnits: MinorUnitsScalar,
    Query: {
      benefitCatalogue: async (
        _: unknown,
        args: { partner?: string | null; first: number; after?: string | null },
        ctx: BenefitsContext,
      ) => {
        const first = validatePageSize(args.first);
        const scope = args.partner != null ? { partner: validatePartner(registry, args.partner) } : {};
        const filter = args.after ? { ...scope, _id: { $gt: benefitCursor.decode(args.after) } } : scope;
        const [rows, totalCount] = await Promise.all([
          ctx.benefits
            .find(filter)
            .sort({ _id: 1 })
            .limit(first + 1)
            .lean<BenefitDocument[]>(),
          ctx.benefits.countDocuments(scope),
        ]);
        return toConnection(rows, first, totalCount, benefitCursor);
      },
    },
    Member: {
      __resolveReference: (ref: MemberRepresentation) => ref,
      benefits: async (
        member: MemberRepresentation,
        args: { personalised: boolean },
        ctx: BenefitsContext,
      ) => {
        // The same pure functions as the profile subgraph, on the same required inputs: the same tier.
        const at = now();
        const { profile, facts } = await resolveMemberFacts(member, { registry, model }, ctx, at);
        const unlocked = new Map(
          (await qualifyingCampaigns(member.id, facts, ctx, at))
            .filter((q) => q.campaign.actions.unlocksBenefit)
            .map((q) => [q.campaign.actions.unlocksBenefit!, q.campaign.name]),
        );
        const catalogue = (await ctx.loaders.catalogue()).map(toCatalogueBenefit);
        const eligible = await eligibleCatalogue(catalogue, facts, unlocked);
        const items = matchBenefitBundle(eligible.benefits, profile.tier.code, profile.affinities, {
          personalised: args.personalised,
        }).map((item) => {
          const note = eligible.notes.get(item.benefit.code);
          return note ? { ...item, reason: `${item.reason} ${note}` } : item;
        });
        return {
          tier: profile.tier,
          personalised: args.personalised,
          items,
          unavailablePartners: profile.unavailablePartners,
        };
      },
    },
    Benefit: {
      __resolveReference: (ref: { id: string }, ctx: BenefitsContext) => ctx.loaders.benefitById.load(ref.id),
      id: (b: BenefitDocument | { code: string }) => ('code' in b ? b.code : b._id),
      value: (b: BenefitDocument) =>
        b.valueMinor ? { amountMinor: b.valueMinor, currency: b.currency ?? 'CNY' } : null,
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
