import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen, signedInMemberOnly } from '../../shared/auth/shield-rules.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import type { MemberDocument } from '../data/member-model.js';
import { canSeeMember } from '../domain/member-access.js';

/** Partner systems vouch for their own accounts only; members link and unlink only themselves. */
export function lifecyclePermissions(registry: PartnerRegistry): IRules {
  const partnerServiceOf = allowWhen(
    "Only the partner's own system (role partner_service) may do this for its accounts.",
    (_p, args, ctx) => ctx.principal.role === 'partner_service' && ctx.principal.partner === args.partner,
  );
  const memberOnly = signedInMemberOnly('Only a signed-in member can link or unlink their accounts.');
  const fetchInput = allowWhen('This member is not linked to you.', (m, _a, ctx) =>
    canSeeMember(ctx.principal, m as MemberDocument),
  );
  return {
    Mutation: {
      enrol: partnerServiceOf,
      issueLinkCode: partnerServiceOf,
      linkAccount: memberOnly,
      unlinkAccount: memberOnly,
    },
    Member: Object.fromEntries(registry.partners.map((p) => [partnerFieldNames(p.key).account, fetchInput])),
    Enrolment: allow,
    LinkCode: allow,
  };
}
