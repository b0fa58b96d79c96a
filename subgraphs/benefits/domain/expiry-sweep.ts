import { contentFingerprint } from './idempotency-fingerprint.js';
import type { PointsLot } from './points-lot.js';
import { isExpired } from './points-lot.js';
import type { WalletChange, WalletEntry, WalletState } from './wallet-entry.js';
import { completeChange, emptyEntryFields } from './wallet-entry.js';

/** The ledger key of a lot's expiry: one per lot, so a sweep run twice (or by two workers) expires it once. */
export const expiryEntryKey = (lotId: string): string => `expire:${lotId}`;

/** Lots whose expiry has come by `now` and that still hold points. */
export const lotsDueForExpiry = (lots: readonly PointsLot[], now: Date): PointsLot[] =>
  lots.filter((lot) => lot.remaining > 0 && isExpired(lot, now));

/** The expire entry of one lot: all its remaining points, dated at the lot's expiry (not at the sweep). */
export function expiryEntry(lot: PointsLot): WalletEntry {
  const id = expiryEntryKey(lot.id);
  return {
    ...emptyEntryFields,
    id,
    memberId: lot.memberId,
    kind: 'expire',
    points: -lot.remaining,
    partner: lot.partner,
    // The lot's expiry is set whenever it is due (isExpired).
    occurredAt: lot.expiresAt as Date,
    orderRef: lot.orderRef,
    allocations: [{ lotId: lot.id, partner: lot.partner, points: -lot.remaining }],
    fingerprint: contentFingerprint({ op: 'expire', lotId: lot.id, points: lot.remaining }),
  };
}

/**
 * The pure part of the expiry sweep: an expire entry for every lot due at `now`, none for a lot whose
 * expiry is already in the ledger. Applying the result twice changes nothing the second time.
 */
export function applyExpiry(state: WalletState, now: Date): WalletChange {
  const done = new Set(state.entries.filter((e) => e.kind === 'expire').map((e) => e.id));
  const entries = lotsDueForExpiry(state.lots, now)
    .filter((lot) => !done.has(expiryEntryKey(lot.id)))
    .map(expiryEntry);
  return { ...completeChange(entries, []), replay: entries.length === 0 };
}
