import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { validateIdentifier, validatePartner } from '../../shared/argument-validation.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import { AppError, badInput, forbidden, notFound } from '../../shared/errors.js';
import type { BenefitsContext } from '../context.js';
import type { FeedbackDocument, FeedbackStatsDocument } from '../data/benefit-feedback-store.js';
import { FeedbackConflictError, countsOf } from '../data/benefit-feedback-store.js';
import type { FeedbackAction, FeedbackCounts } from '../domain/feedback/benefit-feedback.js';
import {
  FEEDBACK_ACTIONS,
  FeedbackInputError,
  NO_FEEDBACK,
  addCounts,
  averageRating,
} from '../domain/feedback/benefit-feedback.js';
import { engagementEstimate, tierPriorRate } from '../domain/feedback/engagement-estimate.js';
import { signedInMemberId } from '../../shared/auth/principal.js';

/** The fields of `schema/benefits/feedback.graphql`: members' feedback on benefits, and what it adds up to. */

const signedInMember = (ctx: BenefitsContext): string =>
  signedInMemberId(ctx.principal, () => forbidden('Only members record feedback on their benefits.'));

/** Partner staff read their own partner's satisfaction only; operators any partner's or all. */
function partnerInScope(
  ctx: BenefitsContext,
  registry: PartnerRegistry,
  partner?: string | null,
): string | null {
  const p = ctx.principal;
  if (partner != null) validatePartner(registry, partner);
  if (p.role === 'partner_staff') {
    if (partner != null && partner !== p.partner) {
      throw forbidden(`Partner staff read their own partner's satisfaction only (${p.partner}).`);
    }
    return p.partner;
  }
  return partner ?? null;
}

interface BenefitSatisfactionView extends FeedbackCounts {
  benefitId: string;
  partner: string;
  averageRating: number | null;
  tiers: { tier: TierCode; shown: number; engaged: number; estimatedRate: number; quality: number }[];
}

/** Counts per benefit and tier grouped by partner and benefit, each tier's estimate against its own prior. */
function satisfactionByPartner(all: readonly FeedbackStatsDocument[], partner: string | null) {
  const priors = new Map<string, number>();
  for (const tier of new Set(all.map((row) => row.tier))) {
    priors.set(tier, tierPriorRate(all.filter((row) => row.tier === tier).map(countsOf)));
  }
  const byPartner = new Map<string, Map<string, BenefitSatisfactionView>>();
  for (const row of all) {
    if (partner !== null && row.partner !== partner) continue;
    const benefits = byPartner.get(row.partner) ?? new Map<string, BenefitSatisfactionView>();
    byPartner.set(row.partner, benefits);
    const counts = countsOf(row);
    const view = benefits.get(row.benefit) ?? {
      ...NO_FEEDBACK,
      benefitId: row.benefit,
      partner: row.partner,
      averageRating: null,
      tiers: [],
    };
    const estimate = engagementEstimate(counts, priors.get(row.tier)!);
    benefits.set(row.benefit, {
      ...view,
      ...addCounts(view, counts),
      tiers: [
        ...view.tiers,
        {
          tier: row.tier,
          shown: counts.shown,
          engaged: counts.engaged,
          estimatedRate: estimate.rate,
          quality: estimate.quality,
        },
      ],
    });
  }
  const partners = [...byPartner].sort(([a], [b]) => a.localeCompare(b));
  return {
    partners: partners.map(([key, benefits]) => {
      const total = [...benefits.values()].reduce<FeedbackCounts>((sum, b) => addCounts(sum, b), NO_FEEDBACK);
      return { partner: key, averageRating: averageRating(total), ratings: total.ratings };
    }),
    benefits: partners.flatMap(([, benefits]) =>
      [...benefits.values()].map((b) => ({ ...b, averageRating: averageRating(b) })),
    ),
  };
}

export function feedbackResolvers(deps: { registry: PartnerRegistry }): GraphQLResolverMap<BenefitsContext> {
  return {
    Mutation: {
      recordBenefitFeedback: async (
        _: unknown,
        args: { benefitId: string; action: FeedbackAction; rating?: number | null },
        ctx: BenefitsContext,
      ) => {
        const memberId = signedInMember(ctx);
        const benefit = await ctx.loaders.benefitById.load(validateIdentifier(args.benefitId, 'benefitId'));
        if (!benefit) throw notFound(`No benefit "${args.benefitId}" in the catalogue.`);
        const tier = await ctx.tiers.tierOf(memberId);
        try {
          return await ctx.feedback.record(
            memberId,
            { code: benefit._id, partner: benefit.partner },
            { action: args.action, rating: args.rating ?? null, tier, at: ctx.now() },
          );
        } catch (error) {
          if (error instanceof FeedbackInputError) throw badInput(`\`rating\`: ${error.message}`, 'rating');
          if (error instanceof FeedbackConflictError) {
            throw new AppError('CONFLICT', 'Your feedback on this benefit is being recorded; try again.');
          }
          throw error;
        }
      },
    },
    Query: {
      benefitSatisfaction: async (_: unknown, args: { partner?: string | null }, ctx: BenefitsContext) => {
        const partner = partnerInScope(ctx, deps.registry, args.partner);
        return satisfactionByPartner(await ctx.feedback.stats(), partner);
      },
    },
    BenefitFeedback: {
      benefit: (doc: FeedbackDocument, _: unknown, ctx: BenefitsContext) =>
        ctx.loaders.benefitById.load(doc.benefit),
      actions: (doc: FeedbackDocument) => FEEDBACK_ACTIONS.filter((a) => doc.actions[a]),
    },
    BenefitSatisfaction: {
      benefit: (view: BenefitSatisfactionView, _: unknown, ctx: BenefitsContext) =>
        ctx.loaders.benefitById.load(view.benefitId),
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
