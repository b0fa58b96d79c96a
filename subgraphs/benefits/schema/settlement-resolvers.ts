import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { AppError, badInput } from '../../shared/errors.js';
import { parseMonthKey } from '../../shared/domain/programme-calendar.js';
import type { BenefitsContext } from '../context.js';
import type { SettlementStatementView } from '../data/settlement-store.js';
import { renderStatementCsv } from '../domain/statement-csv.js';

/** The fields of `schema/benefits/settlement.graphql`: partner statements, month close, liability. */

function requireMonth(month: string): string {
  try {
    parseMonthKey(month);
    return month;
  } catch {
    throw badInput(`\`month\` must be a month as YYYY-MM (e.g. 2026-11), not "${month}".`, 'month');
  }
}

/** The GraphQL shape of a statement (the domain's figures, flattened). */
export function settlementView({ statement: s, closedAt }: SettlementStatementView) {
  return {
    partner: s.partner,
    month: s.month,
    timeZone: s.timeZone,
    currency: s.currency,
    status: closedAt ? 'CLOSED' : 'OPEN',
    closedAt,
    pointsIssued: s.points.issued,
    pointsReversed: s.points.reversed,
    pointsAdjusted: s.points.adjusted,
    pointsRedeemed: s.points.honoured,
    pointsRedeemedReturned: s.points.honouredReturned,
    pointsExpired: -s.liability.movements.expire,
    fundingOwedByPartnerMinor: s.fundingOwedByPartnerMinor,
    reimbursementOwedToPartnerMinor: s.reimbursementOwedToPartnerMinor,
    netOwedToPartnerMinor: s.netOwedToPartnerMinor,
    liabilityOpeningPoints: s.liability.openingPoints,
    liabilityClosingPoints: s.liability.closingPoints,
    liabilityClosingMinor: s.liability.closingFundingMinor,
    entryCount: s.entryCount,
    csv: renderStatementCsv(s),
  };
}

export function settlementResolvers(): GraphQLResolverMap<BenefitsContext> {
  return {
    Query: {
      partnerSettlement: async (
        _: unknown,
        args: { partner: string; month: string },
        ctx: BenefitsContext,
      ) => {
        requireMonth(args.month);
        if (!ctx.registry.byKey.has(args.partner))
          throw new AppError('NOT_FOUND', `No partner "${args.partner}" in the registry.`);
        return settlementView(await ctx.settlement.statement(args.partner, args.month));
      },
      outstandingPointsLiability: async (_: unknown, args: { month?: string | null }, ctx: BenefitsContext) =>
        ctx.settlement.liability(args.month ? requireMonth(args.month) : ctx.calendar.monthKey(ctx.now())),
    },
    Mutation: {
      closeSettlementMonth: async (_: unknown, args: { month: string }, ctx: BenefitsContext) => {
        const closed = await ctx.settlement.close(requireMonth(args.month));
        return { ...closed, statements: closed.statements.map(settlementView) };
      },
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
