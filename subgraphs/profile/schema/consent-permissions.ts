import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen, signedInMemberOnly } from '../../shared/auth/shield-rules.js';
import type { MemberDocument } from '../data/member-model.js';
import { canSeeMember, canSeeMemberDetails } from '../domain/member-access.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';

/** Consent is the member's own: only they change it; they and operators read it. */
export function consentPermissions(registry: PartnerRegistry): IRules {
  // What the gateway fetches to reach the brands and benefits for whoever may see the member at all.
  const fetchInput = allowWhen('This member is not linked to you.', (m, _a, ctx) =>
    canSeeMember(ctx.principal, m as MemberDocument),
  );
  const memberOnly = signedInMemberOnly('Only a signed-in member can change their own consent.');
  return {
    Mutation: { grantConsent: memberOnly, withdrawConsent: memberOnly },
    Member: {
      ...Object.fromEntries(registry.partners.map((p) => [partnerFieldNames(p.key).consent, fetchInput])),
      personalisationPartners: fetchInput,
      consentHistory: allowWhen('Only the member themself or an operator may read this.', (m, _a, ctx) =>
        canSeeMemberDetails(ctx.principal, m as MemberDocument),
      ),
    },
    PurposeConsent: allow,
    ConsentChange: allow,
  };
}
