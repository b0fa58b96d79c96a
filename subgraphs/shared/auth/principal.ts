/** Who is asking, as the gateway established it from the client's token (docs/architecture.md §7). */
export type Principal =
  | { role: 'anonymous' }
  | { role: 'member'; memberId: string }
  | { role: 'partner_staff'; partner: string; subject?: string }
  | { role: 'partner_service'; partner: string; subject?: string }
  | { role: 'admin'; subject?: string };

export const ANONYMOUS: Principal = { role: 'anonymous' };

/** Reads a principal out of verified token claims; returns null when the claims do not describe one. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  const role = typeof claims.role === 'string' ? claims.role : 'member';
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  const partner = typeof claims.partner === 'string' ? claims.partner : undefined;
  switch (role) {
    case 'member':
      return sub ? { role: 'member', memberId: sub } : null;
    case 'partner_staff':
    case 'partner_service':
      return partner ? { role, partner, subject: sub } : null;
    case 'admin':
      return { role: 'admin', subject: sub };
    case 'anonymous':
      return ANONYMOUS;
    default:
      return null;
  }
}

export function principalClaims(principal: Principal): Record<string, string> {
  const claims: Record<string, string> = { role: principal.role };
  if (principal.role === 'member') claims.sub = principal.memberId;
  if ('partner' in principal) claims.partner = principal.partner;
  if ('subject' in principal && principal.subject) claims.sub = principal.subject;
  return claims;
}

/**
 * The signed-in member's id; any other caller gets the error `refusal` makes, which says in the field's own
 * words why only a member may do this.
 */
export function signedInMemberId(principal: Principal, refusal: () => Error): string {
  if (principal.role !== 'member') throw refusal();
  return principal.memberId;
}
