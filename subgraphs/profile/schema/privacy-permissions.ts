import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly, allowWhen, signedInMemberOnly } from '../../shared/auth/shield-rules.js';
import type { MemberDocument } from '../data/member-model.js';
import { canSeeMemberDetails } from '../domain/member-access.js';

/** Members act on their own data; operators on anyone's; partners on none of it. */
export function privacyPermissions(): IRules {
  const memberOnly = signedInMemberOnly('Only a signed-in member can do this for themself.');
  const memberDetails = allowWhen('Only the member themself or an operator may read this.', (m, _a, ctx) =>
    canSeeMemberDetails(ctx.principal, m as MemberDocument),
  );
  return {
    Query: { myErasure: memberOnly, erasureJob: adminOnly, memberAccessLog: adminOnly },
    Mutation: { requestErasure: memberOnly, eraseMember: adminOnly, requestDataExport: memberOnly },
    Member: { accessLog: memberDetails, dataExport: memberDetails },
    ErasureJob: allow,
    ErasureReceipt: allow,
    ErasureCount: allow,
    AccessLogPage: allow,
    AccessLogEntry: allow,
  };
}
