import {
  SEED_CHECKOUT_RULES,
  checkoutRulesSchema,
  checkoutTermsFor,
  partnerCheckoutSchema,
} from './checkout-terms.js';

describe('checkout terms', () => {
  it('gives every partner the programme’s terms by default: 100 points = ¥1, Diamond 10 %, Gold 5 %', () => {
    expect(checkoutTermsFor('inkwell', SEED_CHECKOUT_RULES)).toEqual({
      partner: 'inkwell',
      acceptsPoints: true,
      pointsPerMinorUnit: 1,
      maxPointsShareBasisPoints: 10_000,
      tierDiscountBasisPoints: { DIAMOND: 1_000, GOLD: 500 },
    });
  });

  it('lets a partner cap the points share, replace the discounts or refuse points', () => {
    const own = partnerCheckoutSchema.parse({
      maxPointsShareBasisPoints: 5_000,
      tierDiscountBasisPoints: { DIAMOND: 1_500 },
    });
    expect(checkoutTermsFor('starlight', SEED_CHECKOUT_RULES, own)).toMatchObject({
      maxPointsShareBasisPoints: 5_000,
      tierDiscountBasisPoints: { DIAMOND: 1_500 },
    });
    expect(checkoutTermsFor('pulsefit', SEED_CHECKOUT_RULES, { acceptsPoints: false }).acceptsPoints).toBe(
      false,
    );
  });

  it('validates the keys', () => {
    expect(checkoutRulesSchema.parse(SEED_CHECKOUT_RULES)).toEqual(SEED_CHECKOUT_RULES);
    expect(checkoutRulesSchema.safeParse({ ...SEED_CHECKOUT_RULES, pointsPerMinorUnit: 0.5 }).success).toBe(
      false,
    );
    expect(
      checkoutRulesSchema.safeParse({ ...SEED_CHECKOUT_RULES, maxPointsShareBasisPoints: 10_001 }).success,
    ).toBe(false);
    expect(partnerCheckoutSchema.safeParse({ tierDiscountBasisPoints: { SILVER: 100 } }).success).toBe(false);
    expect(partnerCheckoutSchema.safeParse({ currency: 'CNY' }).success).toBe(false);
  });
});
