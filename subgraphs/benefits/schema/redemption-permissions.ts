import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { signedInMemberOnly } from '../../shared/auth/shield-rules.js';
import { selfOrAdmin } from './member-rules.js';

const memberOnly = signedInMemberOnly('Only members redeem benefits and cancel redemptions.');

/** Members redeem and cancel their own; a member's redemptions are read by themself or an operator. */
export function redemptionPermissions(): IRules {
  return {
    Mutation: { redeemBenefit: memberOnly, cancelRedemption: memberOnly },
    Member: { redemptions: selfOrAdmin('redemptions') },
    Redemption: allow,
    RedemptionConnection: allow,
    RedemptionEdge: allow,
    TierPrice: allow,
    RedemptionLimit: allow,
  };
}
