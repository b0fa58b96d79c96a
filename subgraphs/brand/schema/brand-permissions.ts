import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import type { Principal } from '../../shared/auth/principal.js';
import { allowWhen } from '../../shared/auth/shield-rules.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';

const isSelf = (principal: Principal, memberId: string): boolean =>
  principal.role === 'member' && principal.memberId === memberId;

/** `Member.<partner>`, the member's account here: the member, an operator, or this partner's own staff and services. */
export function mayReadBrandMembership(principal: Principal, memberId: string, partnerKey: string): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'member':
      return isSelf(principal, memberId);
    case 'partner_staff':
    case 'partner_service':
      return principal.partner === partnerKey;
    default:
      return false;
  }
}

/**
 * `Member.<partner>Behaviour`, the rolled-up behaviour summary. It is `@inaccessible`: no client can select
 * it, and the gateway fetches it only as the `@requires` input of `Member.profile` and `Member.benefits`,
 * for a member the query's entry point (`me`, `member`, `memberByPartnerAccount`, `members` in the profile
 * subgraph) already let the caller see. So it is served to exactly the principals whose queries can reach
 * those fields: the member themself (their own summary only), an operator, and partner staff or services
 * of any partner, since the joint tier that staff may read of a member linked to them is computed from
 * every consented brand's behaviour. The brand cannot check that link itself (links live in the profile
 * store, and subgraphs do not call each other); it refuses everyone else: callers without a token, and a
 * member asking for someone else's summary.
 */
export function mayReadBehaviour(principal: Principal, memberId: string): boolean {
  switch (principal.role) {
    case 'admin':
    case 'partner_staff':
    case 'partner_service':
      return true;
    case 'member':
      return isSelf(principal, memberId);
    default:
      return false;
  }
}

/** Who may read a brand's fields (docs/architecture.md §7); see the two predicates above. */
export function brandPermissions(partnerKey: string): IRules {
  const ownBrand = allowWhen(
    `Only the member, ${partnerKey} staff or an operator may read ${partnerKey} data.`,
    (member, _a, ctx) => mayReadBrandMembership(ctx.principal, (member as { id: string }).id, partnerKey),
  );
  const modelInput = allowWhen(
    'Behaviour summaries are read only for the cross-brand models.',
    (member, _a, ctx) => mayReadBehaviour(ctx.principal, (member as { id: string }).id),
  );
  const fields = partnerFieldNames(partnerKey);
  return {
    Member: {
      id: allow,
      [fields.membership]: ownBrand,
      [fields.behaviour]: modelInput,
      // Part of the key: the gateway sends it; it is @inaccessible, so no client selects it.
      [fields.consent]: allow,
      [fields.account]: allow,
    },
    BrandMembership: allow,
    BrandOrder: allow,
    Money: allow,
    BrandBehaviour: allow,
    CategoryActivity: allow,
    Tier: allow,
    _Service: allow,
  };
}
