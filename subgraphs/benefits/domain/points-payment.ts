import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import type { CheckoutTerms } from './checkout-terms.js';
import type { CampaignDiscountOffer, CheckoutDiscount } from './checkout-discount.js';
import { chooseCheckoutDiscount } from './checkout-discount.js';
import { multiplyByRatio, requireSafeInteger } from './exact-ratio.js';
import type { PointsLot } from './points-lot.js';
import { availablePoints } from './points-lot.js';
import type { RedeemRequest } from './redeem-points.js';
import { applyRedeem } from './redeem-points.js';
import type { Outcome } from './refusal.js';
import { accept, describePoints, describeYuan, refuse } from './refusal.js';
import { applyReturn } from './return-points.js';
import type { WalletChange, WalletState } from './wallet-entry.js';
import { NO_CHANGE } from './wallet-entry.js';

/**
 * Rounding at checkout, stated once:
 * - The discount (the tier's or a campaign's, whichever is larger) is rounded to the nearest fen, a half fen in the member's favour (HALF_UP).
 * - Points pay in whole fen: `pointsPerMinorUnit` points buy exactly 1 fen, so a points amount must be a
 *   multiple of it and its cash value is exact; nothing is rounded.
 * - The cap on the points share is rounded down to a whole fen (points never pay more than the share).
 * - A partial refund splits between points and cash in the proportion the order was paid, on the running
 *   total refunded, so all refunds together give back exactly the points and the cash paid. A share of a
 *   fen that cannot go back as points goes back as cash, which is worth the same.
 */
const BASIS = 10_000;

export interface PointsQuote {
  partner: string;
  orderAmountMinor: number;
  /** The member's tier discount at the partner (it applies unless a campaign offers more). */
  tierDiscountBasisPoints: number;
  /** The discount applied: the largest of the tier's and the running campaigns' (see checkout-discount.ts). */
  discountBasisPoints: number;
  discountSource: CheckoutDiscount['source'];
  discountCampaignId: string | null;
  discountReason: string;
  discountMinor: number;
  /** What the member pays after the tier discount, in points and cash together. */
  payableMinor: number;
  availablePoints: number;
  /** The most points this order takes (0 when the partner takes none or the member has none). */
  maxPoints: number;
  maxPointsValueMinor: number;
  /** Cash still to pay when the most points are used. */
  cashAfterMaxPointsMinor: number;
  pointsPerMinorUnit: number;
}

function discountFor(orderAmountMinor: number, discount: CheckoutDiscount) {
  requireSafeInteger('orderAmountMinor', orderAmountMinor, 1);
  const discountMinor = multiplyByRatio(orderAmountMinor, discount.basisPoints, BASIS, 'HALF_UP');
  return { discountMinor, payableMinor: orderAmountMinor - discountMinor };
}

/** Largest cash value points may pay for this order (the partner's share cap, floored to a fen). */
const capMinor = (payableMinor: number, terms: CheckoutTerms): number =>
  terms.acceptsPoints ? multiplyByRatio(payableMinor, terms.maxPointsShareBasisPoints, BASIS, 'FLOOR') : 0;

/** How far points can pay for an order at a partner, and the discount the member gets there. */
export function quotePointsPayment(
  lots: readonly PointsLot[],
  now: Date,
  orderAmountMinor: number,
  tier: TierCode,
  terms: CheckoutTerms,
  campaignOffers: readonly CampaignDiscountOffer[] = [],
): PointsQuote {
  const discount = chooseCheckoutDiscount(tier, terms, campaignOffers);
  const { discountMinor, payableMinor } = discountFor(orderAmountMinor, discount);
  const k = terms.pointsPerMinorUnit;
  const have = Math.max(0, availablePoints(lots, now));
  const valueMinor = Math.min(capMinor(payableMinor, terms), Math.floor(have / k));
  return {
    partner: terms.partner,
    orderAmountMinor,
    tierDiscountBasisPoints: terms.tierDiscountBasisPoints[tier] ?? 0,
    discountBasisPoints: discount.basisPoints,
    discountSource: discount.source,
    discountCampaignId: discount.campaignId,
    discountReason: discount.reason,
    discountMinor,
    payableMinor,
    availablePoints: have,
    maxPoints: multiplyByRatio(valueMinor, k, 1, 'FLOOR'),
    maxPointsValueMinor: valueMinor,
    cashAfterMaxPointsMinor: payableMinor - valueMinor,
    pointsPerMinorUnit: k,
  };
}

/** Null when a points amount can pay at these terms, else why not (for a BAD_USER_INPUT error). */
export function pointsAmountProblem(points: number, terms: CheckoutTerms): string | null {
  if (!Number.isSafeInteger(points) || points < 1) return 'points must be a whole number of at least 1';
  if (points % terms.pointsPerMinorUnit !== 0) {
    return `points must be a multiple of ${terms.pointsPerMinorUnit} (that many points make 1 fen)`;
  }
  return null;
}

export interface PointsPaymentRequest {
  /** Idempotency key of the payment. */
  key: string;
  memberId: string;
  orderRef: string;
  orderAmountMinor: number;
  tier: TierCode;
  /** Campaign discounts running for the member at the partner now (the largest discount applies). */
  campaignOffers?: readonly CampaignDiscountOffer[];
  points: number;
  occurredAt: Date;
}

export interface PointsPayment {
  points: number;
  valueMinor: number;
  discountMinor: number;
  /** Cash the member still pays. */
  cashMinor: number;
}

/**
 * The pure plan of `payWithPoints`: a redeem entry honoured by the checkout's partner, oldest points first,
 * with what the refund of the order will need. Refused when the partner takes no points (NOT_ELIGIBLE),
 * the points exceed the order's points share (LIMIT_REACHED) or the spendable balance
 * (INSUFFICIENT_POINTS). The same key again is a replay; with other content, a CONFLICT.
 */
export function planPointsPayment(
  state: WalletState,
  request: PointsPaymentRequest,
  terms: CheckoutTerms,
  calendar: ProgrammeCalendar,
): Outcome<{ change: WalletChange; payment: PointsPayment }> {
  const problem = pointsAmountProblem(request.points, terms);
  if (problem) throw new RangeError(problem);
  const { discountMinor, payableMinor } = discountFor(
    request.orderAmountMinor,
    chooseCheckoutDiscount(request.tier, terms, request.campaignOffers),
  );
  const valueMinor = request.points / terms.pointsPerMinorUnit;
  const redeem: RedeemRequest = {
    key: request.key,
    memberId: request.memberId,
    partner: terms.partner,
    points: request.points,
    occurredAt: request.occurredAt,
    orderRef: request.orderRef,
    payment: { payableMinor, pointsPerMinorUnit: terms.pointsPerMinorUnit },
  };
  const payment = { points: request.points, valueMinor, discountMinor, cashMinor: payableMinor - valueMinor };
  const withPayment = (outcome: Outcome<WalletChange>) =>
    outcome.ok ? { ok: true as const, value: { change: outcome.value, payment } } : outcome;

  // A retry is answered from the ledger, whatever the balance or the terms say now.
  if (state.entries.some((e) => e.id === request.key))
    return withPayment(applyRedeem(state, redeem, calendar));
  if (!terms.acceptsPoints)
    return refuse('NOT_ELIGIBLE', `${terms.partner} does not take points at checkout.`);
  const cap = capMinor(payableMinor, terms);
  if (valueMinor > cap) {
    const most = cap * terms.pointsPerMinorUnit;
    return refuse(
      'LIMIT_REACHED',
      `At most ${describePoints(most)} (${describeYuan(cap)}) can pay for this order at ${terms.partner}; use fewer points.`,
    );
  }
  return withPayment(applyRedeem(state, redeem, calendar));
}

export interface PointsRefundRequest {
  /** Idempotency key of the refund. */
  key: string;
  /** The key of the points payment (its redeem entry). */
  paymentKey: string;
  /** Part of the payable amount refunded now. */
  refundMinor: number;
  occurredAt: Date;
}

/**
 * The pure plan of `refundPointsPayment`: points back as lots with their original expiry, in proportion
 * to the points share of the payment, on the running total refunded (see the rounding rules above).
 */
export function planPointsRefund(
  state: WalletState,
  request: PointsRefundRequest,
): Outcome<{ change: WalletChange; pointsBack: number; cashBackMinor: number }> {
  requireSafeInteger('refundMinor', request.refundMinor, 1);
  const payment = state.entries.find((e) => e.id === request.paymentKey && e.kind === 'redeem');
  if (!payment?.payment) return refuse('NOT_FOUND', `No points payment ${request.paymentKey} to refund.`);
  const { payableMinor, pointsPerMinorUnit: k } = payment.payment;
  // A retry is answered from the ledger: later refunds of the same order must not change its split.
  const earlier = state.entries.find((e) => e.id === request.key);
  if (earlier) {
    if (
      earlier.kind !== 'return' ||
      earlier.reference !== payment.id ||
      earlier.refund?.refundMinor !== request.refundMinor
    ) {
      return refuse(
        'CONFLICT',
        `Request ${request.key} was already made with different content; use a new key.`,
      );
    }
    return accept({
      change: NO_CHANGE,
      pointsBack: earlier.points,
      cashBackMinor: earlier.refund.cashRefundMinor,
    });
  }
  const refundedBefore = state.entries
    .filter((e) => e.kind === 'return' && e.reference === payment.id)
    .reduce((sum, e) => sum + (e.refund?.refundMinor ?? 0), 0);
  if (refundedBefore + request.refundMinor > payableMinor) {
    return refuse(
      'CONFLICT',
      `Only ${describeYuan(payableMinor - refundedBefore)} of order ${payment.orderRef} is left to refund.`,
    );
  }
  const stepsPaid = -payment.points / k;
  const stepsBackBy = (refunded: number) => multiplyByRatio(stepsPaid, refunded, payableMinor, 'FLOOR');
  const steps = stepsBackBy(refundedBefore + request.refundMinor) - stepsBackBy(refundedBefore);
  const pointsBack = steps * k;
  const cashBackMinor = request.refundMinor - steps;
  const outcome = applyReturn(state, {
    key: request.key,
    redeemEntryId: payment.id,
    points: pointsBack,
    occurredAt: request.occurredAt,
    refund: { refundMinor: request.refundMinor, cashRefundMinor: cashBackMinor },
  });
  return outcome.ok ? { ok: true, value: { change: outcome.value, pointsBack, cashBackMinor } } : outcome;
}
