import { allowWhen } from '../../shared/auth/shield-rules.js';

/** A member's own data in this subgraph: readable by the member themself and by operators. */
export const selfOrAdmin = (what: string) =>
  allowWhen(`Only the member themself or an operator may read their ${what}.`, (m, _a, ctx) => {
    const p = ctx.principal;
    return p.role === 'admin' || (p.role === 'member' && p.memberId === (m as { id: string }).id);
  });

/** A partner's checkout system (which partner's data, the resolver checks). */
export const partnerCheckout = allowWhen(
  'Only a partner checkout (role partner_service) may do this.',
  (_p, _a, ctx) => ctx.principal.role === 'partner_service',
);
