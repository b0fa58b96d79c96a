import type { Principal } from '../../shared/auth/principal.js';
import type { LinkConsents } from './consent/consent-purposes.js';
import { partnersConsentedFor } from './consent/consent-purposes.js';

interface LinkedMember {
  _id: string;
  links: { partner: string }[];
}

/** Whether a caller may see a member at all: themself, an operator, or a partner the member is linked to. */
export function canSeeMember(principal: Principal, member: LinkedMember): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'member':
      return principal.memberId === member._id;
    case 'partner_staff':
    case 'partner_service':
      return member.links.some((l) => l.partner === principal.partner);
    default:
      return false;
  }
}

/** Whether a caller may see the member's own details (name, links, full profile): only themself or an operator. */
export function canSeeMemberDetails(principal: Principal, member: { _id: string }): boolean {
  return principal.role === 'admin' || (principal.role === 'member' && principal.memberId === member._id);
}

/**
 * Whether a caller may see the member's joint profile (its tier, for partner staff): as `canSeeMember`, and a
 * partner's staff or service only while the member's CROSS_BRAND_PROFILE consent for that partner holds.
 * Withdrawing it takes the partner out of the joint profile, and the joint profile away from the partner.
 */
export function canSeeJointProfile(
  principal: Principal,
  member: LinkedMember & { links: LinkConsents[] },
): boolean {
  if (!canSeeMember(principal, member)) return false;
  if (principal.role !== 'partner_staff' && principal.role !== 'partner_service') return true;
  return partnersConsentedFor(member.links, 'CROSS_BRAND_PROFILE').includes(principal.partner);
}
