import { requireSafeInteger } from './exact-ratio.js';
import type { LotAllocation, PointsLot } from './points-lot.js';
import type { Outcome } from './refusal.js';
import { accept, describePoints, refuse } from './refusal.js';
import type { CheckoutRefund, WalletChange, WalletEntry, WalletState } from './wallet-entry.js';
import { completeChange, emptyEntryFields, keyedRequest } from './wallet-entry.js';

export interface ReturnRequest {
  /** Idempotency key of the cancellation or refund. */
  key: string;
  /** The `redeem` entry whose points go back. */
  redeemEntryId: string;
  /**
   * How many points go back; all that are left when omitted (a cancelled redemption). 0 records a refund
   * paid wholly in cash, so later partial refunds of the same payment know what was refunded before.
   */
  points?: number;
  occurredAt: Date;
  refund?: CheckoutRefund;
}

/** Per lot a redemption took from: how many of its points are still out (not given back yet). */
export function pointsStillOut(
  redeem: WalletEntry,
  entries: readonly WalletEntry[],
): { allocation: LotAllocation; out: number }[] {
  const back = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'return' || e.reference !== redeem.id) continue;
    for (const a of e.allocations) {
      if (a.returnedFrom) back.set(a.returnedFrom, (back.get(a.returnedFrom) ?? 0) + a.points);
    }
  }
  return redeem.allocations.map((allocation) => ({
    allocation,
    out: -allocation.points - (back.get(allocation.lotId) ?? 0),
  }));
}

/**
 * Gives back points of a redemption (cancelled) or of a points payment (refunded) as new lots that keep the
 * original lot's partner, order, availability and expiry: points cannot live longer by being spent and
 * returned. The points taken last (those that expire last) go back first, which is the member's best case
 * when only part comes back.
 */
export function applyReturn(state: WalletState, request: ReturnRequest): Outcome<WalletChange> {
  if (request.points !== undefined) requireSafeInteger('points', request.points, 0);
  const { fingerprint, prior } = keyedRequest(state, 'return', request);
  if (prior) return prior;

  const redeem = state.entries.find((e) => e.id === request.redeemEntryId && e.kind === 'redeem');
  if (!redeem)
    return refuse('NOT_FOUND', `No redemption or points payment ${request.redeemEntryId} to give back.`);
  const out = pointsStillOut(redeem, state.entries).reverse();
  const returnable = out.reduce((sum, o) => sum + o.out, 0);
  const points = request.points ?? returnable;
  if (returnable === 0 && request.points !== 0) {
    return refuse('CONFLICT', `The points of ${redeem.id} have already been given back.`);
  }
  if (points > returnable) {
    return refuse('CONFLICT', `Only ${describePoints(returnable)} of ${redeem.id} are left to give back.`);
  }

  const allocations: LotAllocation[] = [];
  const lots: PointsLot[] = [];
  let left = points;
  for (const { allocation, out: stillOut } of out) {
    if (left === 0) break;
    const back = Math.min(left, stillOut);
    if (back === 0) continue;
    left -= back;
    const origin = state.lots.find((lot) => lot.id === allocation.lotId);
    if (!origin) throw new Error(`lot ${allocation.lotId} of ${redeem.id} is missing from the wallet state`);
    const id = `${request.key}:${origin.id}`;
    lots.push({ ...origin, id, origin: 'return', points: back, remaining: back });
    allocations.push({ lotId: id, partner: origin.partner, points: back, returnedFrom: origin.id });
  }
  return accept(
    completeChange(
      [
        {
          ...emptyEntryFields,
          id: request.key,
          memberId: redeem.memberId,
          kind: 'return',
          points,
          partner: redeem.partner,
          occurredAt: request.occurredAt,
          orderRef: redeem.orderRef,
          reference: redeem.id,
          allocations,
          refund: request.refund ?? null,
          fingerprint,
        },
      ],
      lots,
    ),
  );
}
