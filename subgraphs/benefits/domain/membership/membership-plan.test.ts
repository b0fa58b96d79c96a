import { planPriceFor } from './membership-plan.js';
import { yearlyPlan } from './plan-fixtures.js';

const plan = yearlyPlan({
  priceBands: [
    { minScore: 0, priceMinor: 29900 },
    { minScore: 60, priceMinor: 19900 },
    { minScore: 80, priceMinor: 9900 },
  ],
});

describe('planPriceFor', () => {
  it.each([
    [0, 29900],
    [59.9, 29900],
    [60, 19900],
    [79.99, 19900],
    [80, 9900],
    [100, 9900],
  ])('prices score %p at %p', (score, price) => {
    expect(planPriceFor(plan, score).priceMinor).toBe(price);
  });

  it('names the score, the band reached and the next band in the reason', () => {
    expect(planPriceFor(plan, 65).reason).toBe(
      'Joint Plus costs CNY 199.00 a year: your composite score 65 reaches 60; from a score of 80 it is CNY 99.00.',
    );
    expect(planPriceFor(plan, 12.34).reason).toBe(
      'Joint Plus costs CNY 299.00 a year: your composite score is 12.3; from a score of 60 it is CNY 199.00.',
    );
    expect(planPriceFor(plan, 91).reason).toBe(
      'Joint Plus costs CNY 99.00 a year: your composite score 91 reaches 80.',
    );
  });

  it('charges the first band when the score is not known yet, and says so', () => {
    const price = planPriceFor(plan, null);
    expect(price.priceMinor).toBe(29900);
    expect(price.reason).toContain('not known yet');
  });

  it('fills in the defaults', () => {
    expect(plan).toMatchObject({
      trialDays: 0,
      graceDays: 7,
      coolingOffDays: 14,
      benefits: [],
      earning: null,
    });
  });
});
