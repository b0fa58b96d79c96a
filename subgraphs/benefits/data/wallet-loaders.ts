import DataLoader from 'dataloader';
import type { PointsLedgerModel, WalletBalance } from './points-ledger.js';

/** Wallet balances of many members in one aggregation (a list of members asks for its wallets in one go). */
export function walletBalanceLoader(
  Ledger: PointsLedgerModel,
  now: () => Date,
): DataLoader<string, WalletBalance> {
  return new DataLoader(async (memberIds) => {
    const at = now();
    const rows = await Ledger.aggregate<WalletBalance & { _id: string }>([
      { $match: { memberId: { $in: [...memberIds] } } },
      {
        $group: {
          _id: '$memberId',
          balance: { $sum: { $cond: [{ $lte: ['$availableAt', at] }, '$points', 0] } },
          pending: { $sum: { $cond: [{ $gt: ['$availableAt', at] }, '$points', 0] } },
          lifetimeEarned: { $sum: { $cond: [{ $eq: ['$kind', 'earn'] }, '$points', 0] } },
        },
      },
    ]);
    const byMember = new Map(rows.map((r) => [r._id, r]));
    return memberIds.map((id) => {
      const row = byMember.get(id);
      return {
        balance: row?.balance ?? 0,
        pending: row?.pending ?? 0,
        lifetimeEarned: row?.lifetimeEarned ?? 0,
      };
    });
  });
}
