import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PageArguments } from '../../shared/cursor-pagination.js';
import { newestFirstPage, timeOrderedCursorCodec } from '../../shared/cursor-pagination.js';
import { badInput } from '../../shared/errors.js';
import { PointsScalar } from '../../shared/scalars/safe-integer-scalars.js';
import type { BenefitsContext } from '../context.js';
import type { PointsLedgerEntry } from '../data/points-ledger.js';
import { expiringPoints } from '../domain/wallet-balance.js';
import { availablePoints, isPending } from '../domain/points-lot.js';

/** The fields of `schema/benefits/wallet.graphql`: the member's points wallet and its ledger. */
interface WalletParent {
  memberId: string;
}

const historyCursor = timeOrderedCursorCodec('points');

export function walletResolvers(): GraphQLResolverMap<BenefitsContext> {
  return {
    Points: PointsScalar,
    Mutation: {
      sweepExpiredPoints: (_: unknown, __: unknown, ctx: BenefitsContext) =>
        ctx.wallet.sweepExpired(ctx.now()),
    },
    Member: {
      wallet: (member: { id: string }): WalletParent => ({ memberId: member.id }),
    },
    Wallet: {
      balance: async (w: WalletParent, _: unknown, ctx: BenefitsContext) =>
        availablePoints((await ctx.loaders.walletLots.load(w.memberId)).lots, ctx.now()),
      pending: async (w: WalletParent, _: unknown, ctx: BenefitsContext) => {
        const at = ctx.now();
        const { lots } = await ctx.loaders.walletLots.load(w.memberId);
        return lots.filter((lot) => isPending(lot, at)).reduce((sum, lot) => sum + lot.remaining, 0);
      },
      lifetimeEarned: async (w: WalletParent, _: unknown, ctx: BenefitsContext) =>
        (await ctx.loaders.walletLots.load(w.memberId)).lifetimeEarned,
      expiring: async (w: WalletParent, args: { withinDays: number }, ctx: BenefitsContext) => {
        if (!Number.isInteger(args.withinDays) || args.withinDays < 1 || args.withinDays > 3_660) {
          throw badInput('`withinDays` must be a whole number of days from 1 to 3,660.', 'withinDays');
        }
        const { lots } = await ctx.loaders.walletLots.load(w.memberId);
        return expiringPoints(lots, ctx.now(), args.withinDays, ctx.calendar);
      },
      history: (w: WalletParent, args: PageArguments, ctx: BenefitsContext) =>
        newestFirstPage(
          args,
          historyCursor,
          (e: PointsLedgerEntry) => e.recordedAt,
          (first, after) => ctx.ledger.history(w.memberId, first, after),
        ),
    },
    PointsLedgerEntry: {
      id: (e: PointsLedgerEntry) => e._id,
      kind: (e: PointsLedgerEntry) => e.kind.toUpperCase(),
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
