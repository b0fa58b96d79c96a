import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { validatePageSize } from '../../shared/argument-validation.js';
import { cursorCodec } from '../../shared/cursor-pagination.js';
import { badInput } from '../../shared/errors.js';
import { PointsScalar } from '../../shared/scalars/safe-integer-scalars.js';
import type { BenefitsContext } from '../context.js';
import type { PointsLedgerEntry } from '../data/points-ledger.js';

/** The fields of `schema/benefits/wallet.graphql`: the member's points wallet and its ledger. */
interface WalletParent {
  memberId: string;
}

const historyCursor = cursorCodec('points');

function decodeHistoryCursor(cursor: string): { recordedAt: Date; id: string } {
  const [at, ...rest] = historyCursor.decode(cursor).split('|');
  const recordedAt = new Date(at);
  if (Number.isNaN(recordedAt.getTime()) || rest.length === 0) {
    throw badInput('`after` is not a cursor of the points list; pass an endCursor you were given.', 'after');
  }
  return { recordedAt, id: rest.join('|') };
}

export function walletResolvers(): GraphQLResolverMap<BenefitsContext> {
  return {
    Points: PointsScalar,
    Member: {
      wallet: (member: { id: string }): WalletParent => ({ memberId: member.id }),
    },
    Wallet: {
      balance: async (w: WalletParent, _: unknown, ctx: BenefitsContext) =>
        (await ctx.loaders.walletBalance.load(w.memberId)).balance,
      pending: async (w: WalletParent, _: unknown, ctx: BenefitsContext) =>
        (await ctx.loaders.walletBalance.load(w.memberId)).pending,
      lifetimeEarned: async (w: WalletParent, _: unknown, ctx: BenefitsContext) =>
        (await ctx.loaders.walletBalance.load(w.memberId)).lifetimeEarned,
      history: async (
        w: WalletParent,
        args: { first: number; after?: string | null },
        ctx: BenefitsContext,
      ) => {
        const first = validatePageSize(args.first);
        const rows = await ctx.ledger.history(
          w.memberId,
          first,
          args.after ? decodeHistoryCursor(args.after) : undefined,
        );
        const page = rows.slice(0, first);
        const cursor = (e: PointsLedgerEntry) =>
          historyCursor.encode(`${e.recordedAt.toISOString()}|${e._id}`);
        return {
          edges: page.map((node) => ({ cursor: cursor(node), node })),
          pageInfo: {
            hasNextPage: rows.length > first,
            endCursor: page.length ? cursor(page[page.length - 1]) : null,
          },
        };
      },
    },
    PointsLedgerEntry: {
      id: (e: PointsLedgerEntry) => e._id,
      kind: (e: PointsLedgerEntry) => e.kind.toUpperCase(),
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
