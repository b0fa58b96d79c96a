/**
 * Points live in lots: each earning (or operator credit, or points given back) is a lot with its own
 * availability and expiry, and every later change takes points out of named lots. A wallet's balance is
 * then the sum of its spendable lots, and an expiry or a reversal can say exactly which points it removes.
 */

/** What created a lot. `debt` is the only lot that may hold negative points (an explicit operator debit). */
export type LotOrigin = 'earn' | 'adjust' | 'return' | 'debt';

/** The funder of points an operator grants on the programme's own account (not a partner's). */
export const PROGRAMME_FUNDER = 'programme';

export interface PointsLot {
  /** The id of the ledger entry that created it, or `<entry id>:<origin lot id>` for points given back. */
  id: string;
  memberId: string;
  /** Partner where the points were earned: it funds them until they are spent, reversed or expire. */
  partner: string;
  origin: LotOrigin;
  /** The partner's order the points were earned on; a refund of that order reverses this lot first. */
  orderRef: string | null;
  /** The partner event (or operator action) that created the points. */
  sourceEventId: string;
  /** Points the lot was created with. */
  points: number;
  /** Points still in the lot (0 once spent, reversed or expired; negative only for a debt lot). */
  remaining: number;
  earnedAt: Date;
  /** From this instant the points can be spent; before it they are pending. */
  availableAt: Date;
  /** From this instant the points are gone; null never expires. Exclusive: points are valid before it. */
  expiresAt: Date | null;
}

/** A signed change of one lot, recorded on the ledger entry that made it. */
export interface LotAllocation {
  lotId: string;
  /** The lot's partner, copied so settlement never has to look lots up. */
  partner: string;
  /** Negative: taken out of the lot; positive: put into it (a new lot, or a debt paid off). */
  points: number;
  /** On a `return` entry: the lot the given-back points were first taken from. */
  returnedFrom?: string;
}

export const isExpired = (lot: PointsLot, now: Date): boolean =>
  lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();

export const isPending = (lot: PointsLot, now: Date): boolean =>
  !isExpired(lot, now) && lot.availableAt.getTime() > now.getTime();

/** Spendable now (a debt lot counts too, so it holds the balance down). */
export const isAvailable = (lot: PointsLot, now: Date): boolean =>
  !isExpired(lot, now) && lot.availableAt.getTime() <= now.getTime();

const expiryMs = (lot: PointsLot): number => lot.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;

/**
 * Oldest first: the lot that expires first is spent first, then the one available first, then the one
 * earned first; the id makes the order total, so a replay takes the same points.
 */
export function consumptionOrder(a: PointsLot, b: PointsLot): number {
  return (
    expiryMs(a) - expiryMs(b) ||
    a.availableAt.getTime() - b.availableAt.getTime() ||
    a.earnedAt.getTime() - b.earnedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Takes up to `points` from the lots in the order given, each lot's positive remainder at most.
 * Returns the allocations (negative points) and what could not be taken.
 */
export function takeFromLots(
  lots: readonly PointsLot[],
  points: number,
): { allocations: LotAllocation[]; shortfall: number } {
  const allocations: LotAllocation[] = [];
  let wanted = points;
  for (const lot of lots) {
    if (wanted <= 0) break;
    if (lot.remaining <= 0) continue;
    const taken = Math.min(lot.remaining, wanted);
    allocations.push({ lotId: lot.id, partner: lot.partner, points: -taken });
    wanted -= taken;
  }
  return { allocations, shortfall: wanted };
}

/** The positive lots that can be spent at `now`, in consumption order. */
export const spendableLots = (lots: readonly PointsLot[], now: Date): PointsLot[] =>
  lots.filter((lot) => lot.remaining > 0 && isAvailable(lot, now)).sort(consumptionOrder);

/** Sum of the remainders of the lots that can be spent at `now` (debt lots included). */
export function availablePoints(lots: readonly PointsLot[], now: Date): number {
  let total = 0;
  for (const lot of lots) if (isAvailable(lot, now)) total += lot.remaining;
  return total;
}
