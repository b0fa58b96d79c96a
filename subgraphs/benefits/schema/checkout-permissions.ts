import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { partnerCheckout as partnerService } from './member-rules.js';

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
