import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { requireSafeInteger } from './exact-ratio.js';
import type { ExpiryRule } from './expiry-policy.js';
import type { LotAllocation, PointsLot } from './points-lot.js';
import { availablePoints, consumptionOrder, spendableLots, takeFromLots } from './points-lot.js';
import { insufficientPointsMessage } from './points-shortfall.js';
import type { Outcome } from './refusal.js';
import { accept, refuse } from './refusal.js';
import type { WalletChange, WalletState } from './wallet-entry.js';
import { completeChange, emptyEntryFields, keyedRequest } from './wallet-entry.js';

export interface AdjustRequest {
  /** Idempotency key of the operator's action. */
  key: string;
  memberId: string;
  /** Signed: a credit or a debit. */
  points: number;
  occurredAt: Date;
  /** Who funds a credit (or is relieved by a debit): a partner key or `programme`. */
  fundedBy: string;
  reason: string;
  /** A debit larger than the spendable balance is refused unless the operator allows a negative balance. */
  allowNegativeBalance: boolean;
}

/**
 * An operator's correction. A credit first pays off any debt, then becomes a new lot that expires by the
 * policy. A debit takes spendable points, oldest first, and never pending ones; it may exceed the
 * spendable balance only with `allowNegativeBalance`, and the part not covered becomes a debt lot that
 * never expires and holds the balance below zero until an operator credit pays it off.
 */
export function applyAdjust(
  state: WalletState,
  request: AdjustRequest,
  expiry: ExpiryRule,
  calendar: ProgrammeCalendar,
): Outcome<WalletChange> {
  requireSafeInteger('points', request.points);
  if (request.points === 0) throw new RangeError('points of an adjustment must not be 0');
  const { fingerprint, prior } = keyedRequest(state, 'adjust', request);
  if (prior) return prior;

  const now = request.occurredAt;
  const allocations: LotAllocation[] = [];
  const created: PointsLot[] = [];
  const newLot = (points: number, debt: boolean): PointsLot => ({
    id: request.key,
    memberId: request.memberId,
    partner: request.fundedBy,
    origin: debt ? 'debt' : 'adjust',
    orderRef: null,
    sourceEventId: request.key,
    points,
    remaining: points,
    earnedAt: now,
    availableAt: now,
    expiresAt: debt ? null : expiry(now),
  });

  if (request.points > 0) {
    let left = request.points;
    for (const debt of state.lots.filter((l) => l.remaining < 0).sort(consumptionOrder)) {
      if (left === 0) break;
      const paid = Math.min(left, -debt.remaining);
      allocations.push({ lotId: debt.id, partner: debt.partner, points: paid });
      left -= paid;
    }
    if (left > 0) {
      created.push(newLot(left, false));
      allocations.push({ lotId: request.key, partner: request.fundedBy, points: left });
    }
  } else {
    const debit = -request.points;
    if (availablePoints(state.lots, now) < debit && !request.allowNegativeBalance) {
      return refuse('INSUFFICIENT_POINTS', insufficientPointsMessage(state.lots, now, debit, calendar));
    }
    const taken = takeFromLots(spendableLots(state.lots, now), debit);
    allocations.push(...taken.allocations);
    if (taken.shortfall > 0) {
      created.push(newLot(-taken.shortfall, true));
      allocations.push({ lotId: request.key, partner: request.fundedBy, points: -taken.shortfall });
    }
  }
  return accept(
    completeChange(
      [
        {
          ...emptyEntryFields,
          id: request.key,
          memberId: request.memberId,
          kind: 'adjust',
          points: request.points,
          partner: request.fundedBy,
          occurredAt: now,
          allocations,
          fingerprint,
        },
      ],
      created,
    ),
  );
}
