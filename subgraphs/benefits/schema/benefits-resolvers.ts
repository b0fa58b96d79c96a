import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { crossBrandProfilesOf } from '../../shared/cache/cross-brand-profiles.js';
import { requiredBehaviours } from '../../shared/domain/cross-brand-profile.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { validatePageSize, validatePartner } from '../../shared/argument-validation.js';
import { cursorCodec, toConnection } from '../../shared/cursor-pagination.js';
import type { BenefitDocument } from '../data/catalogue-model.js';
import { MinorUnitsScalar } from '../../shared/scalars/safe-integer-scalars.js';
import { matchBenefitBundle } from '../domain/match-benefit-bundle.js';
import { planBenefitsAt } from '../domain/membership/membership-lifecycle.js';
import type { BenefitsContext } from '../context.js';
import { eligibleCatalogue } from '../domain/eligibility/eligible-catalogue.js';
import { engagementByBenefit } from '../domain/feedback/engagement-estimate.js';
import type { MemberRepresentation } from './member-facts-resolution.js';
import { qualifyingCampaigns, resolveMemberFacts } from './member-facts-resolution.js';

export interface BenefitsResolverDeps {
  registry: PartnerRegistry;
  model: PopulationModel;
  /** A failure to record the member's tier for redemption: logged, the bundle is still answered. */
  onTierNotRecorded?: (error: unknown) => void;
}

const benefitCursor = cursorCodec('benefit');

export function benefitsResolvers({
  registry,
  model,
  onTierNotRecorded = () => undefined,
}: BenefitsResolverDeps): GraphQLResolverMap<BenefitsContext> {
  const partners = registry.partners.map((p) => p.key);
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
        const at = ctx.now();
        const { profile, facts } = await resolveMemberFacts(member, { registry, model }, ctx, at);
        const consented = member.consentedPartners ?? [];
        // Interests only from partners consented to both uses (PERSONALISED_BENEFITS; their behaviour is
        // served for the profile's purpose), never from the others.
        const forPersonalisation = (member.personalisationPartners ?? []).filter((p) =>
          consented.includes(p),
        );
        // Redemption (a mutation, which cannot @requires the behaviours) reads the tier recorded here.
        await ctx.tiers.record(member.id, profile.tier.code, at).catch(onTierNotRecorded);
        const personalised = args.personalised && forPersonalisation.length > 0;
        const affinities = personalised
          ? crossBrandProfilesOf(model).profileOf({
              behaviours: requiredBehaviours(member, partners),
              partners,
              consentedPartners: forPersonalisation,
              storedTier: null,
            }).profile.affinities
          : profile.affinities;
        const unlocked = new Map(
          (await qualifyingCampaigns(member.id, facts, ctx, at))
            .filter((q) => q.campaign.actions.unlocksBenefit)
            .map((q) => [q.campaign.actions.unlocksBenefit!, q.campaign.name]),
        );
        const { benefits: catalogue } = await ctx.loaders.catalogue();
        // A paid plan's benefits through the same unlocking, always in the bundle (membership.graphql).
        const plan = planBenefitsAt(await ctx.memberships.store.get(member.id), at, ctx.memberships.plans);
        const eligible = await eligibleCatalogue(catalogue, facts, unlocked, plan);
        // What members of the tier did with each benefit re-ranks it (docs/architecture.md §9).
        const engagement = engagementByBenefit(await ctx.feedback.countsForTier(profile.tier.code));
        const items = matchBenefitBundle(eligible.benefits, profile.tier.code, affinities, {
          personalised,
          engagement,
          reserved: eligible.included,
        }).map((item) => {
          const note = eligible.notes.get(item.benefit.code);
          return note ? { ...item, reason: `${item.reason} ${note}` } : item;
        });
        return {
          tier: profile.tier,
          personalised,
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
