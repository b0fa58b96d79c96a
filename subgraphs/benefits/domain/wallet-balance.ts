import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalDays } from '../../shared/domain/programme-calendar.js';
import { negate, sumExactly } from './exact-ratio.js';
import type { PointsLot } from './points-lot.js';
import { availablePoints, isExpired, isPending } from './points-lot.js';
import type { WalletEntry, WalletState } from './wallet-entry.js';

export interface ExpiringPoints {
  points: number;
  /** The instant the points are gone. */
  on: Date;
  /** The last programme-local day on which they can still be spent (`YYYY-MM-DD`). */
  lastDay: string;
}

export interface BalanceBreakdown {
  /** Spendable now: the sum of the available lots. Negative only while an operator's debt lot stands. */
  available: number;
  /** Earned but still in the return window. */
  pending: number;
  /** Of the points held, those that expire within the policy's warning window. */
  expiringSoon: number;
  lifetimeEarned: number;
  lifetimeReversed: number;
  /** Spent, less what cancelled redemptions and refunded payments gave back. */
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  /** Net operator adjustments (signed). */
  lifetimeAdjusted: number;
}

/**
 * Points still held whose last valid day is at most `withinDays` programme-local days after today, grouped
 * by expiry: on 26 May, "within 5 days" includes points valid through 31 May.
 */
export function expiringPoints(
  lots: readonly PointsLot[],
  now: Date,
  withinDays: number,
  calendar: ProgrammeCalendar,
): ExpiringPoints[] {
  const until = calendar.startOfDay(addLocalDays(calendar.localDate(now), withinDays + 1)).getTime();
  const byInstant = new Map<number, number>();
  for (const lot of lots) {
    if (lot.remaining <= 0 || !lot.expiresAt || isExpired(lot, now)) continue;
    const at = lot.expiresAt.getTime();
    if (at <= until) byInstant.set(at, (byInstant.get(at) ?? 0) + lot.remaining);
  }
  return [...byInstant.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, points]) => ({ points, on: new Date(at), lastDay: calendar.dayKey(new Date(at - 1)) }));
}

const sumOf = (entries: readonly WalletEntry[], kind: WalletEntry['kind']): number =>
  sumExactly(entries.filter((e) => e.kind === kind).map((e) => e.points));

export function balanceBreakdown(
  state: WalletState,
  now: Date,
  warnWithinDays: number,
  calendar: ProgrammeCalendar,
): BalanceBreakdown {
  const { lots, entries } = state;
  return {
    available: availablePoints(lots, now),
    pending: sumExactly(lots.filter((l) => isPending(l, now)).map((l) => l.remaining)),
    expiringSoon: sumExactly(expiringPoints(lots, now, warnWithinDays, calendar).map((e) => e.points)),
    lifetimeEarned: sumOf(entries, 'earn'),
    lifetimeReversed: negate(sumOf(entries, 'reverse')),
    lifetimeRedeemed: negate(sumOf(entries, 'redeem') + sumOf(entries, 'return')),
    lifetimeExpired: negate(sumOf(entries, 'expire')),
    lifetimeAdjusted: sumOf(entries, 'adjust'),
  };
}
