import { z } from 'zod';
import type { TierCode } from '../../shared/domain/tiers.js';
import { TIER_CODES } from '../../shared/domain/tiers.js';

/** Shares and rates in basis points (1/100 of a percent): 500 = 5 %, 10,000 = 100 %. Integers, so exact. */
const basisPoints = z.number().int().min(0).max(10_000);
const tierDiscounts = z.partialRecord(z.enum(TIER_CODES), basisPoints);

/**
 * The `checkout` key of schema/earning-rules.json: paying with points at a partner's checkout,
 * programme-wide. A point is worth a whole fraction of a minor unit (`pointsPerMinorUnit` points = 1 fen;
 * seed 1, i.e. 100 points = ¥1), so a payment in points never leaves a fraction of a fen to round.
 */
export const checkoutRulesSchema = z
  .object({
    pointsPerMinorUnit: z.number().int().min(1).max(1_000_000),
    /** The most of an order (after the tier discount) that points may pay. */
    maxPointsShareBasisPoints: basisPoints,
    /** The tier discount every partner gives at checkout unless its own registry entry says otherwise. */
    tierDiscountBasisPoints: tierDiscounts,
  })
  .strict();

/** The `checkout` key of a partner in schema/partners.json; each key overrides the programme's. */
export const partnerCheckoutSchema = z
  .object({
    acceptsPoints: z.boolean().optional(),
    maxPointsShareBasisPoints: basisPoints.optional(),
    /** Replaces the programme's map for this partner (a tier left out gets no discount there). */
    tierDiscountBasisPoints: tierDiscounts.optional(),
  })
  .strict();

export type CheckoutRules = z.infer<typeof checkoutRulesSchema>;
export type PartnerCheckout = z.infer<typeof partnerCheckoutSchema>;

export const SEED_CHECKOUT_RULES: CheckoutRules = {
  pointsPerMinorUnit: 1,
  maxPointsShareBasisPoints: 10_000,
  tierDiscountBasisPoints: { DIAMOND: 1_000, GOLD: 500 },
};

/** Checkout terms at one partner: the programme's rules with the partner's overrides applied. */
export interface CheckoutTerms {
  partner: string;
  acceptsPoints: boolean;
  pointsPerMinorUnit: number;
  maxPointsShareBasisPoints: number;
  tierDiscountBasisPoints: Partial<Record<TierCode, number>>;
}

export function checkoutTermsFor(
  partner: string,
  rules: CheckoutRules,
  own: PartnerCheckout = {},
): CheckoutTerms {
  return {
    partner,
    acceptsPoints: own.acceptsPoints ?? true,
    pointsPerMinorUnit: rules.pointsPerMinorUnit,
    maxPointsShareBasisPoints: own.maxPointsShareBasisPoints ?? rules.maxPointsShareBasisPoints,
    tierDiscountBasisPoints: own.tierDiscountBasisPoints ?? rules.tierDiscountBasisPoints,
  };
}
