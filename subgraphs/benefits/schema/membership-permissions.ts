import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen } from '../../shared/auth/shield-rules.js';
import { partnerCheckout, selfOrAdmin } from './member-rules.js';

const members = allowWhen(
  'Only members stop the renewal of their own plan.',
  (_p, _a, ctx) => ctx.principal.role === 'member',
);

/** A member's plan and prices are theirs (and operators'); members stop their own renewal. */
export function membershipPermissions(): IRules {
  return {
    Query: { subscriptionOutcome: partnerCheckout },
    Mutation: { cancelMembershipRenewal: members },
    Member: { membership: selfOrAdmin('membership'), availablePlans: selfOrAdmin('plans and prices') },
    Membership: allow,
    SubscriptionOutcome: allow,
    MembershipHistoryEntry: allow,
    MembershipPlan: allow,
    PlanPriceBand: allow,
    AvailablePlan: allow,
    // ProgrammeAnalytics.paidMembership is operators' only through the analytics type's own rule.
    PaidMembershipAnalytics: allow,
    PlanMembers: allow,
    BandConversion: allow,
    // PartnerSettlement.membershipFees: readable with the statement (its query admits operators and own staff).
    MembershipFees: allow,
  };
}
