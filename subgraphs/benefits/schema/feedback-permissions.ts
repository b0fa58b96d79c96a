import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen, signedInMemberOnly } from '../../shared/auth/shield-rules.js';

const members = signedInMemberOnly('Only members record feedback on their benefits.');

const staffOrAdmin = allowWhen(
  'Only partner staff and programme operators read satisfaction.',
  (_p, _a, ctx) => ['admin', 'partner_staff'].includes(ctx.principal.role),
);

/** Members give feedback on their own behalf; staff (their partner's, the resolver checks) and operators read it. */
export function feedbackPermissions(): IRules {
  return {
    Mutation: { recordBenefitFeedback: members },
    Query: { benefitSatisfaction: staffOrAdmin },
    BenefitFeedback: allow,
    SatisfactionReport: allow,
    PartnerSatisfaction: allow,
    BenefitSatisfaction: allow,
    TierEngagement: allow,
  };
}
