import { negate, requireSafeInteger } from './exact-ratio.js';
import type { PointsLot } from './points-lot.js';
import { consumptionOrder, isExpired, isPending, spendableLots, takeFromLots } from './points-lot.js';
import type { Outcome } from './refusal.js';
import { accept } from './refusal.js';
import type { WalletChange, WalletState } from './wallet-entry.js';
import { completeChange, emptyEntryFields, keyedRequest } from './wallet-entry.js';

export interface ReverseRequest {
  /** Idempotency key: the refund event's partner and id. */
  key: string;
  memberId: string;
  /** Partner of the refunded order (where its points were earned). */
  partner: string;
  /** Points to take back (positive). */
  points: number;
  occurredAt: Date;
  orderRef: string;
  sourceEventId: string;
  /** Set when a refund takes back a campaign's extra points: recorded on the entry, so the ledger names it. */
  campaignId?: string;
}

/** The order's own lots, pending ones first: the points a refund within the return window never let out. */
function lotsOfOrder(lots: readonly PointsLot[], request: ReverseRequest): PointsLot[] {
  const at = request.occurredAt;
  return lots
    .filter((lot) => lot.partner === request.partner && lot.orderRef === request.orderRef)
    .filter((lot) => lot.remaining > 0 && !isExpired(lot, at))
    .sort((a, b) => Number(isPending(b, at)) - Number(isPending(a, at)) || consumptionOrder(a, b));
}

/**
 * Takes back the points of a refunded order. The reversal consumes the order's own lots first (pending
 * first), so a refund within the return window cancels points that were never spendable and the balance
 * does not move. Points of the order already spent are taken from the member's other points instead:
 * spendable ones oldest first, then pending ones. What the wallet cannot cover is recorded as unrecovered,
 * never as a negative balance. A reversal whose order has no lot yet (the earning is still on its way)
 * waits for it: `applyEarn` completes it.
 */
export function applyReverse(state: WalletState, request: ReverseRequest): Outcome<WalletChange> {
  requireSafeInteger('points', request.points, 1);
  const { fingerprint, prior } = keyedRequest(state, 'reverse', request);
  if (prior) return prior;

  const base = {
    ...emptyEntryFields,
    id: request.key,
    memberId: request.memberId,
    kind: 'reverse' as const,
    partner: request.partner,
    occurredAt: request.occurredAt,
    orderRef: request.orderRef,
    fingerprint,
    ...(request.campaignId ? { campaignId: request.campaignId } : {}),
  };
  const orderKnown = state.lots.some((l) => l.partner === request.partner && l.orderRef === request.orderRef);
  if (!orderKnown) {
    return accept(
      completeChange([{ ...base, points: 0, allocations: [], awaitingPoints: request.points }], []),
    );
  }

  const own = lotsOfOrder(state.lots, request);
  const ownIds = new Set(own.map((l) => l.id));
  const others = state.lots.filter((l) => !ownIds.has(l.id));
  const spendable = spendableLots(others, request.occurredAt);
  const pending = others
    .filter((l) => l.remaining > 0 && isPending(l, request.occurredAt))
    .sort(consumptionOrder);
  const { allocations, shortfall } = takeFromLots([...own, ...spendable, ...pending], request.points);
  const taken = request.points - shortfall;
  return accept(
    completeChange([{ ...base, points: negate(taken), allocations, unrecoveredPoints: shortfall }], []),
  );
}
