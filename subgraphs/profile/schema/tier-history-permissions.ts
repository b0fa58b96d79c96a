import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen } from '../../shared/auth/shield-rules.js';
import type { MemberDocument } from '../data/member-model.js';
import { canSeeMember } from '../domain/member-access.js';

/**
 * The held tier is the joint tier, which partner staff of a linked partner may read (docs/architecture.md §7);
 * its history, like the rest of the profile, is the member's and the operators'. `Member.storedTier` is an
 * input of benefit matching (inaccessible to clients), visible as the member is; `Member.storedSegment`, the
 * input of segment rules, only to the member and operators.
 */
export function tierHistoryPermissions(): IRules {
  return {
    Member: {
      storedTier: allowWhen('This member is not linked to you.', (m, _a, ctx) =>
        canSeeMember(ctx.principal, m as MemberDocument),
      ),
      // Profiling, like the rest of the profile: the member's own and the operators' (it feeds their bundle).
      storedSegment: allowWhen(
        'The value segment is open to the member and programme operators only.',
        (m, _a, ctx) =>
          ctx.principal.role === 'admin' ||
          (ctx.principal.role === 'member' && canSeeMember(ctx.principal, m as MemberDocument)),
      ),
    },
    CrossBrandProfile: {
      heldTier: allow,
      tierHistory: allowWhen(
        'Tier history is open to the member and programme operators only.',
        (_p, _a, ctx) => ctx.principal.role === 'member' || ctx.principal.role === 'admin',
      ),
    },
    HeldTier: allow,
    TierGrace: allow,
    TierHistoryEntry: allow,
  };
}
