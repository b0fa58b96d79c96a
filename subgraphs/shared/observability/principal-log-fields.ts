import type { Principal } from '../auth/principal.js';

export interface PrincipalLogFields {
  role: Principal['role'];
  /** The partner a staff or service token acts for: an organisation, not a person. */
  partner?: string;
}

/** What logs say about who asked: the role, and the partner for partner roles; never a member id or subject. */
export function principalLogFields(principal: Principal): PrincipalLogFields {
  return 'partner' in principal
    ? { role: principal.role, partner: principal.partner }
    : { role: principal.role };
}
