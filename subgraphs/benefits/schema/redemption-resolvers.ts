import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PageArguments } from '../../shared/cursor-pagination.js';
import { newestFirstPage, timeOrderedCursorCodec } from '../../shared/cursor-pagination.js';
import { AppError, badInput } from '../../shared/errors.js';
import type { BenefitsContext } from '../context.js';
import type { BenefitDocument } from '../data/catalogue-model.js';
import type { RedemptionDocument } from '../data/redemptions.js';
import { RedemptionRefused } from '../data/redemptions.js';
import type { RedemptionTerms } from '../domain/redemption-terms.js';
import { resolveRedemptionTerms } from '../domain/redemption-terms.js';
import { signedInMemberId } from '../../shared/auth/principal.js';

/** The fields of `schema/benefits/redemption.graphql`: redeeming catalogue benefits with points. */

const redemptionCursor = timeOrderedCursorCodec('redemptions');

export function termsOf(benefit: BenefitDocument, ctx: BenefitsContext): RedemptionTerms {
  return resolveRedemptionTerms(
    { ...benefit, code: benefit._id, redemption: benefit.redemption ?? undefined },
    benefit.partner,
    ctx.earningRules.checkout.pointsPerMinorUnit,
    ctx.calendar,
  );
}

const signedInMember = (ctx: BenefitsContext): string =>
  signedInMemberId(ctx.principal, () => new AppError('FORBIDDEN', 'Only members redeem benefits.'));

async function asClientError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RedemptionRefused) throw new AppError(error.refusal.code, error.refusal.message);
    throw error;
  }
}

export function redemptionResolvers(): GraphQLResolverMap<BenefitsContext> {
  return {
    Mutation: {
      redeemBenefit: async (
        _: unknown,
        { input }: { input: { benefitId: string; quantity: number; idempotencyKey: string } },
        ctx: BenefitsContext,
      ) => {
        const memberId = signedInMember(ctx);
        if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > 100) {
          throw badInput('`quantity` must be a whole number from 1 to 100.', 'quantity');
        }
        if (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 100) {
          throw badInput('`idempotencyKey` must be 1 to 100 characters.', 'idempotencyKey');
        }
        const benefit = await ctx.loaders.benefitById.load(input.benefitId);
        if (benefit?.type === 'DISCOUNT') {
          throw new AppError(
            'NOT_ELIGIBLE',
            `${benefit.title} is a tier discount: it applies at the partner's checkout and is not redeemed.`,
          );
        }
        const tier = await ctx.tiers.tierOf(memberId);
        return asClientError(() =>
          ctx.redemptions.redeem({ ...input, memberId }, benefit ? termsOf(benefit, ctx) : null, tier),
        );
      },
      cancelRedemption: (_: unknown, { id }: { id: string }, ctx: BenefitsContext) =>
        asClientError(() => ctx.redemptions.cancel(signedInMember(ctx), id)),
    },
    Member: {
      redemptions: (member: { id: string }, args: PageArguments, ctx: BenefitsContext) =>
        newestFirstPage(
          args,
          redemptionCursor,
          (r: RedemptionDocument) => r.createdAt,
          (first, after) => ctx.redemptions.ofMember(member.id, first, after),
        ),
    },
    Redemption: {
      id: (r: RedemptionDocument) => r._id,
      benefit: (r: RedemptionDocument, _: unknown, ctx: BenefitsContext) =>
        ctx.loaders.benefitById.load(r.benefitId),
      expiresAt: (r: RedemptionDocument) => r.voucherExpiresAt,
    },
    Benefit: {
      costPoints: (b: BenefitDocument, _: unknown, ctx: BenefitsContext) =>
        b.type === 'DISCOUNT' ? 0 : termsOf(b, ctx).pointsCost,
      tierPrices: (b: BenefitDocument, _: unknown, ctx: BenefitsContext) =>
        Object.entries(termsOf(b, ctx).pointsCostByTier).map(([tier, costPoints]) => ({ tier, costPoints })),
      stockLeft: async (b: BenefitDocument, _: unknown, ctx: BenefitsContext) => {
        const total = termsOf(b, ctx).stockTotal;
        return total === null ? null : total - (await ctx.redemptions.stockUsed(b._id));
      },
      perMemberLimit: (b: BenefitDocument, _: unknown, ctx: BenefitsContext) =>
        termsOf(b, ctx).perMemberLimit,
      honouredBy: (b: BenefitDocument, _: unknown, ctx: BenefitsContext) => termsOf(b, ctx).honouredBy,
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
