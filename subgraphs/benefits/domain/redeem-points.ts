import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { requireSafeInteger } from './exact-ratio.js';
import { availablePoints, spendableLots, takeFromLots } from './points-lot.js';
import { insufficientPointsMessage } from './points-shortfall.js';
import type { Outcome } from './refusal.js';
import { accept, refuse } from './refusal.js';
import type { CheckoutPayment, WalletChange, WalletState } from './wallet-entry.js';
import { completeChange, emptyEntryFields, keyedRequest } from './wallet-entry.js';

export interface RedeemRequest {
  /** Idempotency key of the redemption or payment. */
  key: string;
  memberId: string;
  /** Partner that honours the spending (and is reimbursed for it). */
  partner: string;
  points: number;
  occurredAt: Date;
  /** The redemption id or the order paid with points. */
  orderRef: string | null;
  payment?: CheckoutPayment;
}

/**
 * Spends points, oldest first (the lot that expires first goes first). Refused when the spendable balance
 * is short: pending points cannot be spent and the balance never goes below zero.
 */
export function applyRedeem(
  state: WalletState,
  request: RedeemRequest,
  calendar: ProgrammeCalendar,
): Outcome<WalletChange> {
  requireSafeInteger('points', request.points, 1);
  const { fingerprint, prior } = keyedRequest(state, 'redeem', request);
  if (prior) return prior;

  const now = request.occurredAt;
  if (availablePoints(state.lots, now) < request.points) {
    return refuse(
      'INSUFFICIENT_POINTS',
      insufficientPointsMessage(state.lots, now, request.points, calendar),
    );
  }
  // The balance includes any debt lot, so when it covers the points the positive lots cover them too.
  const { allocations } = takeFromLots(spendableLots(state.lots, now), request.points);
  return accept(
    completeChange(
      [
        {
          ...emptyEntryFields,
          id: request.key,
          memberId: request.memberId,
          kind: 'redeem',
          points: -request.points,
          partner: request.partner,
          occurredAt: now,
          orderRef: request.orderRef,
          allocations,
          payment: request.payment ?? null,
          fingerprint,
        },
      ],
      [],
    ),
  );
}
