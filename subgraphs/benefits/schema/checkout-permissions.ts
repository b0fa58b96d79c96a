import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen } from '../../shared/auth/shield-rules.js';

const partnerService = allowWhen(
  'Only a partner checkout (role partner_service) may do this.',
  (_p, _a, ctx) => ctx.principal.role === 'partner_service',
);

/** Points at checkout: partner checkouts only, each at its own partner. */
export function checkoutPermissions(): IRules {
  return {
    Query: { quotePointsPayment: partnerService },
    Mutation: { payWithPoints: partnerService, refundPointsPayment: partnerService },
    PointsQuote: allow,
    PointsPayment: allow,
    PointsRefund: allow,
  };
}
