import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly, allowWhen, isAuthenticated, signedInMemberOnly } from '../../shared/auth/shield-rules.js';
import { validateIdentifier } from '../../shared/argument-validation.js';
import type { MemberDocument } from '../data/member-model.js';
import { canSeeJointProfile, canSeeMember, canSeeMemberDetails } from '../domain/member-access.js';
import type { ProfileContext } from '../context.js';

/**
 * Deny by default (docs/architecture.md §7). A member reads only themself; partner staff read members linked to their
 * partner, and of the profile only the tier; operators read everything.
 */
export function profilePermissions(): IRules {
  const memberVisible = allowWhen('This member is not linked to you.', (m, _a, ctx) =>
    canSeeMember(ctx.principal, m as MemberDocument),
  );
  const jointProfileVisible = allowWhen(
    'The member has not consented to share their joint profile with your partner.',
    (m, _a, ctx) => canSeeJointProfile(ctx.principal, m as MemberDocument),
  );
  const memberDetails = allowWhen('Only the member themself or an operator may read this.', (m, _a, ctx) =>
    canSeeMemberDetails(ctx.principal, m as MemberDocument),
  );
  const memberByIdVisible = allowWhen('This member is not linked to your partner.', async (_p, args, ctx) => {
    const context = ctx as ProfileContext;
    if (context.principal.role === 'admin') return true;
    const doc = await context.loaders.memberById.load(validateIdentifier(String(args.id), 'id'));
    // An unknown id is denied like someone else's, so ids cannot be probed; operators get null.
    return !!doc && canSeeMember(context.principal, doc);
  });
  const staffOfPartner = allowWhen(
    'Partner staff may look up accounts of their own partner only.',
    (_p, args, ctx) => {
      const p = ctx.principal;
      return p.role === 'admin' || ('partner' in p && p.partner === args.partner);
    },
  );
  const notPartner = allowWhen(
    'Partner staff may read the tier only.',
    (_p, _a, ctx) => !('partner' in ctx.principal),
  );
  const memberOnly = signedInMemberOnly('Only a signed-in member can change their own consent.');

  return {
    Query: {
      me: isAuthenticated,
      member: memberByIdVisible,
      memberByPartnerAccount: staffOfPartner,
      members: adminOnly,
    },
    Mutation: { grantPartnerConsent: memberOnly, revokePartnerConsent: memberOnly },
    Member: {
      id: memberVisible,
      profile: jointProfileVisible,
      consentedPartners: memberVisible,
      displayName: memberDetails,
      joinedAt: memberDetails,
      partners: memberDetails,
    },
    CrossBrandProfile: { '*': notPartner, tier: allow },
    MemberConnection: allow,
    MemberEdge: allow,
    PageInfo: allow,
    PartnerLink: allow,
    ConsentState: allow,
    CategoryAffinity: allow,
    ScoreBreakdown: allow,
    WalletShare: allow,
    Tier: allow,
    BrandBehaviour: allow,
    CategoryActivity: allow,
    _Service: allow,
  };
}
