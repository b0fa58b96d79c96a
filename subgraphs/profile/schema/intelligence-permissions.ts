import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly, allowWhen } from '../../shared/auth/shield-rules.js';

/**
 * Member intelligence is the member's own and the operators' (docs/architecture.md §7): partner staff and
 * partner systems read the joint tier of a linked member, never their segment, value or recommendations.
 * `Member.profile` already limits members to themselves.
 */
export function intelligencePermissions(): IRules {
  const memberOrOperator = allowWhen(
    'Member intelligence is open to the member and programme operators only.',
    (_p, _a, ctx) => ctx.principal.role === 'member' || ctx.principal.role === 'admin',
  );
  return {
    Query: { segments: adminOnly, membersAtRisk: adminOnly, intelligenceModel: adminOnly },
    CrossBrandProfile: {
      rfm: memberOrOperator,
      segment: memberOrOperator,
      lifetimeValue: memberOrOperator,
      churnRisk: memberOrOperator,
      recommendations: memberOrOperator,
      tierProgress: memberOrOperator,
      intelligenceVersion: memberOrOperator,
    },
    RfmScores: allow,
    ValueSegment: allow,
    ValueSegmentSummary: allow,
    LifetimeValue: allow,
    Money: allow,
    ChurnRisk: allow,
    Recommendation: allow,
    TierProgress: allow,
    MemberAtRiskConnection: allow,
    MemberAtRiskEdge: allow,
    MemberAtRisk: allow,
    IntelligenceModelInfo: allow,
  };
}
