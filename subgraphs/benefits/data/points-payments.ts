import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import type { CheckoutTerms } from '../domain/checkout-terms.js';
import type { CampaignDiscountOffer } from '../domain/checkout-discount.js';
import type { PointsPayment } from '../domain/points-payment.js';
import { planPointsPayment } from '../domain/points-payment.js';
import type { Outcome } from '../domain/refusal.js';
import { accept, refuse } from '../domain/refusal.js';
import type { WalletChange } from '../domain/wallet-entry.js';
import { NO_CHANGE } from '../domain/wallet-entry.js';
import type { WalletStore } from './wallet-store.js';

/** The ledger key of an order's points payment: one payment per order and partner. */
export const paymentKey = (partner: string, orderId: string) => `pay:${partner}:${orderId}`;

export interface PayWithPointsRequest {
  memberRef: string;
  orderId: string;
  orderAmountMinor: number;
  points: number;
  idempotencyKey: string;
  tier: TierCode;
  campaignOffers?: readonly CampaignDiscountOffer[];
  occurredAt: Date;
}

/**
 * Pays part of an order with points in one wallet write keyed by the order: the same order again with the
 * same points is a retry answered from the ledger; with other points, a CONFLICT.
 */
export async function payWithPoints(
  store: WalletStore,
  request: PayWithPointsRequest,
  terms: CheckoutTerms,
  calendar: ProgrammeCalendar,
): Promise<Outcome<PointsPayment>> {
  const key = paymentKey(terms.partner, request.orderId);
  const plan = {
    key,
    memberId: request.memberRef,
    orderRef: request.orderId,
    orderAmountMinor: request.orderAmountMinor,
    tier: request.tier,
    campaignOffers: request.campaignOffers,
    points: request.points,
    occurredAt: request.occurredAt,
  };
  const outcome = await store.apply(
    request.memberRef,
    { ids: [key] },
    (state): Outcome<{ change: WalletChange; payment: PointsPayment }> => {
      const earlier = state.entries.find((e) => e.id === key);
      if (!earlier) return planPointsPayment(state, plan, terms, calendar);
      if (earlier.kind !== 'redeem' || -earlier.points !== request.points || !earlier.payment) {
        return refuse('CONFLICT', `Order ${request.orderId} was already paid with other points.`);
      }
      const { payableMinor, pointsPerMinorUnit } = earlier.payment;
      const valueMinor = request.points / pointsPerMinorUnit;
      return accept({
        change: NO_CHANGE,
        payment: {
          points: request.points,
          valueMinor,
          discountMinor: request.orderAmountMinor - payableMinor,
          cashMinor: payableMinor - valueMinor,
        },
      });
    },
    { sourceEventId: request.idempotencyKey },
  );
  return outcome.ok ? accept(outcome.value.payment) : outcome;
}
