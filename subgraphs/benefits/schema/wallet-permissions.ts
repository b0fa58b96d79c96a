import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly } from '../../shared/auth/shield-rules.js';
import { selfOrAdmin } from './member-rules.js';

/** The wallet: only the member themself or an operator reads it. */
export function walletPermissions(): IRules {
  return {
    Mutation: { sweepExpiredPoints: adminOnly },
    ExpirySweepReport: allow,
    Member: { wallet: selfOrAdmin('wallet') },
    Wallet: allow,
    ExpiringPoints: allow,
    PointsHistoryConnection: allow,
    PointsHistoryEdge: allow,
    PointsLedgerEntry: allow,
  };
}
