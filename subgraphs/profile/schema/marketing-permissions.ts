import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen } from '../../shared/auth/shield-rules.js';

/** Only a partner's own system reads its customers' MARKETING answers. */
export function marketingPermissions(): IRules {
  return {
    Query: {
      marketingConsent: allowWhen(
        "Only the partner's own system (role partner_service) may read its customers' marketing consent.",
        (_p, args, ctx) => ctx.principal.role === 'partner_service' && ctx.principal.partner === args.partner,
      ),
    },
    MarketingConsent: allow,
  };
}
