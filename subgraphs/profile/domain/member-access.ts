import type { Principal } from '../../shared/auth/principal.js';

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
