import { negate, sumExactly } from './exact-ratio.js';
import type { WalletEntry, WalletState } from './wallet-entry.js';

export interface LedgerTotals {
  earned: number;
  reversed: number;
  redeemed: number;
  returned: number;
  expired: number;
  /** Signed. */
  adjusted: number;
  /** earned − reversed − redeemed + returned − expired + adjusted: what the lots must hold. */
  net: number;
}

export function ledgerTotals(entries: readonly WalletEntry[]): LedgerTotals {
  const of = (kind: WalletEntry['kind']): number =>
    sumExactly(entries.filter((e) => e.kind === kind).map((e) => e.points));
  const totals = {
    earned: of('earn'),
    reversed: negate(of('reverse')),
    redeemed: negate(of('redeem')),
    returned: of('return'),
    expired: negate(of('expire')),
    adjusted: of('adjust'),
  };
  return {
    ...totals,
    net:
      totals.earned - totals.reversed - totals.redeemed + totals.returned - totals.expired + totals.adjusted,
  };
}

/**
 * Every way the ledger and the lots must agree, as a list of discrepancies (empty when they do): each
 * entry's points are the sum of its allocations, each lot holds the sum of the allocations to it, no lot
 * holds more than it was created with or less than nothing (a debt lot: between its debt and zero), and
 * the lots together hold the ledger's net. A reconciliation job can run this per member.
 */
export function reconcileWallet(state: WalletState): string[] {
  const problems: string[] = [];
  const perLot = new Map<string, number>();
  for (const entry of state.entries) {
    const allocated = sumExactly(entry.allocations.map((a) => a.points));
    if (allocated !== entry.points) {
      problems.push(`entry ${entry.id}: ${entry.points} points but allocations sum to ${allocated}`);
    }
    for (const a of entry.allocations) perLot.set(a.lotId, (perLot.get(a.lotId) ?? 0) + a.points);
  }
  for (const lot of state.lots) {
    const allocated = perLot.get(lot.id) ?? 0;
    perLot.delete(lot.id);
    if (allocated !== lot.remaining) {
      problems.push(`lot ${lot.id}: remaining ${lot.remaining} but the ledger allocates ${allocated}`);
    }
    const [low, high] = lot.origin === 'debt' ? [lot.points, 0] : [0, lot.points];
    if (lot.remaining < low || lot.remaining > high) {
      problems.push(`lot ${lot.id}: remaining ${lot.remaining} outside ${low}..${high}`);
    }
  }
  for (const lotId of perLot.keys()) problems.push(`allocations to unknown lot ${lotId}`);
  const held = sumExactly(state.lots.map((l) => l.remaining));
  const { net } = ledgerTotals(state.entries);
  if (held !== net) problems.push(`lots hold ${held} points but the ledger nets ${net}`);
  return problems;
}
