import type { TierCode } from '../../shared/domain/tiers.js';
import type { CheckoutTerms } from './checkout-terms.js';

/** A running campaign's `discountPercent` that applies to a member at a partner's checkout. */
export interface CampaignDiscountOffer {
  campaignId: string;
  name: string;
  percent: number;
  priority: number;
}

/** The one discount an order at checkout gets, and why. */
export interface CheckoutDiscount {
  basisPoints: number;
  source: 'TIER' | 'CAMPAIGN' | 'NONE';
  campaignId: string | null;
  /** What the member and the partner read, e.g. "GOLD tier: 5 % off at inkwell". */
  reason: string;
}

const percentText = (basisPoints: number): string =>
  `${basisPoints / 100 === Math.floor(basisPoints / 100) ? basisPoints / 100 : (basisPoints / 100).toFixed(2)} %`;

/**
 * Discounts do not stack: the order gets the single largest of the member's tier discount at the partner
 * and the discounts of the campaigns running for the member there. Ties go to the tier discount (it is the
 * member's own), then to the campaign of higher priority, then to the smaller campaign id, so the same
 * inputs always give the same discount and reason.
 */
export function chooseCheckoutDiscount(
  tier: TierCode,
  terms: CheckoutTerms,
  offers: readonly CampaignDiscountOffer[] = [],
): CheckoutDiscount {
  const tierRate = terms.tierDiscountBasisPoints[tier] ?? 0;
  const best = [...offers]
    .map((offer) => ({ offer, basisPoints: offer.percent * 100 }))
    .sort(
      (a, b) =>
        b.basisPoints - a.basisPoints ||
        b.offer.priority - a.offer.priority ||
        a.offer.campaignId.localeCompare(b.offer.campaignId),
    )[0];
  if (best && best.basisPoints > tierRate) {
    return {
      basisPoints: best.basisPoints,
      source: 'CAMPAIGN',
      campaignId: best.offer.campaignId,
      reason: `Campaign "${best.offer.name}": ${percentText(best.basisPoints)} off at ${terms.partner}`,
    };
  }
  if (tierRate > 0) {
    return {
      basisPoints: tierRate,
      source: 'TIER',
      campaignId: null,
      reason: `${tier} tier: ${percentText(tierRate)} off at ${terms.partner}`,
    };
  }
  return {
    basisPoints: 0,
    source: 'NONE',
    campaignId: null,
    reason: `No discount for ${tier} at ${terms.partner}`,
  };
}
