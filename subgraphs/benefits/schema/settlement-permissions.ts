import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly, allowWhen, isAdmin } from '../../shared/auth/shield-rules.js';

/** Operators read every partner's statement; a partner's staff read only their own partner's. */
const operatorOrOwnStaff = allowWhen(
  "Only programme operators and the partner's own staff read its settlement.",
  (_p, args, ctx) =>
    isAdmin(ctx.principal) ||
    (ctx.principal.role === 'partner_staff' && ctx.principal.partner === args.partner),
);

export function settlementPermissions(): IRules {
  return {
    Query: { partnerSettlement: operatorOrOwnStaff, outstandingPointsLiability: adminOnly },
    Mutation: { closeSettlementMonth: adminOnly },
    PartnerSettlement: allow,
    PartnerLiability: allow,
    PointsLiability: allow,
    SettlementMonthClose: allow,
  };
}
