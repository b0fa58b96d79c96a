import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { AppError, badInput } from '../../shared/errors.js';
import type { BenefitsContext } from '../context.js';
import type { CheckoutTerms } from '../domain/checkout-terms.js';
import { checkoutTermsFor } from '../domain/checkout-terms.js';
import { paymentKey, payWithPoints } from '../data/points-payments.js';
import { campaignDiscountsAt } from '../data/checkout-campaign-discounts.js';
import { planPointsRefund, pointsAmountProblem, quotePointsPayment } from '../domain/points-payment.js';
import type { Outcome } from '../domain/refusal.js';
import { refuse } from '../domain/refusal.js';
import type { WalletChange } from '../domain/wallet-entry.js';

/** The fields of `schema/benefits/checkout.graphql`: paying with points at a partner's checkout. */

const refundKey = (partner: string, orderId: string) => `payrefund:${partner}:${orderId}`;

/** The calling partner's checkout terms: the programme's rules with the partner's registry overrides. */
function checkoutOf(ctx: BenefitsContext): CheckoutTerms {
  if (ctx.principal.role !== 'partner_service')
    throw new AppError('FORBIDDEN', 'Only partner checkouts pay with points.');
  const partner = ctx.principal.partner;
  return checkoutTermsFor(partner, ctx.earningRules.checkout, ctx.registry.byKey.get(partner)?.checkout);
}

/** A checkout spends only the points of a member with an account linked at its own partner. */
async function requireLinked(ctx: BenefitsContext, memberRef: string, partner: string): Promise<void> {
  if (!(await ctx.memberLinks.isLinked(memberRef, partner))) {
    throw new AppError(
      'MEMBER_NOT_LINKED',
      `Member ${memberRef} has no account linked at ${partner}; its checkout cannot use the member's points.`,
    );
  }
}

function orThrow<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new AppError(outcome.refusal.code, outcome.refusal.message);
  return outcome.value;
}

function requireOrderId(orderId: string): void {
  if (orderId.length < 1 || orderId.length > 100)
    throw badInput('`orderId` must be 1 to 100 characters.', 'orderId');
}

export function checkoutResolvers(): GraphQLResolverMap<BenefitsContext> {
  return {
    Query: {
      quotePointsPayment: async (
        _: unknown,
        args: { memberRef: string; orderAmountMinor: number },
        ctx: BenefitsContext,
      ) => {
        const terms = checkoutOf(ctx);
        if (args.orderAmountMinor < 1)
          throw badInput('`orderAmountMinor` must be at least 1.', 'orderAmountMinor');
        await requireLinked(ctx, args.memberRef, terms.partner);
        const now = ctx.now();
        const [{ lots }, tier, offers] = await Promise.all([
          ctx.loaders.walletLots.load(args.memberRef),
          ctx.tiers.tierOf(args.memberRef),
          campaignDiscountsAt(ctx.campaigns, args.memberRef, terms.partner, now),
        ]);
        return quotePointsPayment(lots, now, args.orderAmountMinor, tier, terms, offers);
      },
    },
    Mutation: {
      payWithPoints: async (
        _: unknown,
        {
          input,
        }: {
          input: {
            memberRef: string;
            orderId: string;
            orderAmountMinor: number;
            points: number;
            idempotencyKey: string;
          };
        },
        ctx: BenefitsContext,
      ) => {
        const terms = checkoutOf(ctx);
        requireOrderId(input.orderId);
        if (input.orderAmountMinor < 1)
          throw badInput('`orderAmountMinor` must be at least 1.', 'orderAmountMinor');
        const problem = pointsAmountProblem(input.points, terms);
        if (problem) throw badInput(`\`${problem}\`.`, 'points');
        await requireLinked(ctx, input.memberRef, terms.partner);
        const now = ctx.now();
        const [tier, campaignOffers] = await Promise.all([
          ctx.tiers.tierOf(input.memberRef),
          campaignDiscountsAt(ctx.campaigns, input.memberRef, terms.partner, now),
        ]);
        const request = { ...input, tier, campaignOffers, occurredAt: now };
        const payment = orThrow(await payWithPoints(ctx.wallet.store, request, terms, ctx.calendar));
        return { orderId: input.orderId, ...payment };
      },
      refundPointsPayment: async (_: unknown, { orderId }: { orderId: string }, ctx: BenefitsContext) => {
        const terms = checkoutOf(ctx);
        requireOrderId(orderId);
        const payKey = paymentKey(terms.partner, orderId);
        const payment = (await ctx.ledger.Ledger.findOne({ _id: payKey }).lean()) ?? null;
        if (!payment)
          throw new AppError('NOT_FOUND', `No points payment for order ${orderId} at ${terms.partner}.`);
        const key = refundKey(terms.partner, orderId);
        const result = orThrow(
          await ctx.wallet.store.apply(
            payment.memberId,
            { ids: [payKey, key], referencing: payKey },
            (state): Outcome<{ change: WalletChange; pointsBack: number; cashBackMinor: number }> => {
              const earlier = state.entries.find((e) => e.id === key);
              const refundedBefore = state.entries
                .filter((e) => e.kind === 'return' && e.reference === payKey && e.id !== key)
                .reduce((sum, e) => sum + (e.refund?.refundMinor ?? 0), 0);
              const refundMinor =
                earlier?.refund?.refundMinor ?? (payment.payment?.payableMinor ?? 0) - refundedBefore;
              if (refundMinor < 1) return refuse('CONFLICT', `Order ${orderId} has been refunded in full.`);
              return planPointsRefund(state, { key, paymentKey: payKey, refundMinor, occurredAt: ctx.now() });
            },
          ),
        );
        return { orderId, pointsBack: result.pointsBack, cashBackMinor: result.cashBackMinor };
      },
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
