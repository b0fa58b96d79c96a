import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen } from '../../shared/auth/shield-rules.js';
import type { MemberDocument } from '../data/member-model.js';
import { canSeeMember } from '../domain/member-access.js';

/**
 * The held tier is the joint tier, which partner staff of a linked partner may read (docs/architecture.md §7);
 * its history, like the rest of the profile, is the member's and the operators'. `Member.storedTier` is an
 * input of benefit matching (inaccessible to clients), visible as the member is, and so is
 * `Member.storedSegment`, the input of segment rules: the benefits subgraph decides who sees what it feeds.
 */
export function tierHistoryPermissions(): IRules {
  const asTheMemberIs = allowWhen('This member is not linked to you.', (m, _a, ctx) =>
    canSeeMember(ctx.principal, m as MemberDocument),
  );
  return {
    Member: { storedTier: asTheMemberIs, storedSegment: asTheMemberIs },
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
