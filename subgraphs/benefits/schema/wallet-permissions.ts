import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { selfOrAdmin } from './member-rules.js';

/** The wallet: only the member themself or an operator reads it. */
export function walletPermissions(): IRules {
  return {
    Member: { wallet: selfOrAdmin('wallet') },
    Wallet: allow,
    PointsHistoryConnection: allow,
    PointsHistoryEdge: allow,
    PointsLedgerEntry: allow,
  };
}
