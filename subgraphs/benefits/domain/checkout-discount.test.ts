import { SEED_CHECKOUT_RULES, checkoutTermsFor } from './checkout-terms.js';
import { chooseCheckoutDiscount } from './checkout-discount.js';

const inkwell = checkoutTermsFor('inkwell', SEED_CHECKOUT_RULES);
const offer = (campaignId: string, percent: number, priority = 0) => ({
  campaignId,
  name: `Sale ${campaignId}`,
  percent,
  priority,
});

describe('the discount at checkout', () => {
  it('is the seed tier discount without campaigns: Diamond 10 %, Gold 5 %, none below', () => {
    expect(chooseCheckoutDiscount('DIAMOND', inkwell)).toEqual({
      basisPoints: 1_000,
      source: 'TIER',
      campaignId: null,
      reason: 'DIAMOND tier: 10 % off at inkwell',
    });
    expect(chooseCheckoutDiscount('GOLD', inkwell).basisPoints).toBe(500);
    expect(chooseCheckoutDiscount('CLASSIC', inkwell)).toMatchObject({ basisPoints: 0, source: 'NONE' });
  });

  it("is a running campaign's discount when it is larger than the tier's, never both", () => {
    expect(chooseCheckoutDiscount('GOLD', inkwell, [offer('c1', 15)])).toEqual({
      basisPoints: 1_500,
      source: 'CAMPAIGN',
      campaignId: 'c1',
      reason: 'Campaign "Sale c1": 15 % off at inkwell',
    });
    expect(chooseCheckoutDiscount('DIAMOND', inkwell, [offer('c1', 8)])).toMatchObject({ source: 'TIER' });
  });

  it('breaks ties deterministically: tier first, then priority, then campaign id, whatever the order given', () => {
    expect(chooseCheckoutDiscount('DIAMOND', inkwell, [offer('c1', 10)]).source).toBe('TIER');
    const offers = [offer('b', 20, 1), offer('a', 20, 1), offer('z', 20, 5), offer('y', 12, 9)];
    expect(chooseCheckoutDiscount('BASIC', inkwell, offers).campaignId).toBe('z');
    expect(chooseCheckoutDiscount('BASIC', inkwell, [...offers].reverse()).campaignId).toBe('z');
    const tied = [offer('b', 20), offer('a', 20)];
    expect(chooseCheckoutDiscount('BASIC', inkwell, tied).campaignId).toBe('a');
    expect(chooseCheckoutDiscount('BASIC', inkwell, [...tied].reverse()).campaignId).toBe('a');
  });

  it("follows the partner's own tier map from the registry", () => {
    const own = checkoutTermsFor('pulsefit', SEED_CHECKOUT_RULES, { tierDiscountBasisPoints: { GOLD: 750 } });
    expect(chooseCheckoutDiscount('GOLD', own).reason).toBe('GOLD tier: 7.50 % off at pulsefit');
    expect(chooseCheckoutDiscount('DIAMOND', own).source).toBe('NONE');
  });
});
