import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import type { Principal } from '../../shared/auth/principal.js';
import { allowWhen } from '../../shared/auth/shield-rules.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';

const isSelf = (principal: Principal, member: { id: string }): boolean =>
  principal.role === 'member' && principal.memberId === member.id;

/**
 * Who may read a brand's fields (DESIGN.md §7): the member themself, operators, and this partner's own
 * staff and services. The behaviour summary is @inaccessible (clients cannot select it): it is read only as
 * a `@requires` input of the profile and benefits subgraphs, whose entry points already checked that the
 * caller may read this member; so any partner's staff may have it read on their behalf.
 */
export function brandPermissions(partnerKey: string): IRules {
  const ownBrand = allowWhen(
    `Only the member, ${partnerKey} staff or an operator may read ${partnerKey} data.`,
    (member, _a, ctx) => {
      const p = ctx.principal;
      return (
        p.role === 'admin' ||
        isSelf(p, member as { id: string }) ||
        ('partner' in p && p.partner === partnerKey)
      );
    },
  );
  const modelInput = allowWhen(
    'Behaviour summaries are read only for the cross-brand models.',
    (member, _a, ctx) => {
      const p = ctx.principal;
      return p.role === 'admin' || 'partner' in p || isSelf(p, member as { id: string });
    },
  );
  const fields = partnerFieldNames(partnerKey);
  return {
    Member: { id: allow, [fields.membership]: ownBrand, [fields.behaviour]: modelInput },
    BrandMembership: allow,
    BrandOrder: allow,
    Money: allow,
    BrandBehaviour: allow,
    CategoryActivity: allow,
    Tier: allow,
    _Service: allow,
  };
}
