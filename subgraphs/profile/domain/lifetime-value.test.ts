import { bgNbdConditionalExpectedPurchases } from './bg-nbd.js';
import { gammaGammaExpectedSpend } from './gamma-gamma.js';
import type { LifetimeValueModel } from './lifetime-value.js';
import { customerLifetimeValue, DAYS_PER_MONTH } from './lifetime-value.js';

const weekly: LifetimeValueModel = {
  bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6, q: 4, gamma: 3000 },
  timeUnitDays: 7,
};
const member = { frequency: 4, recency: 30, T: 40, monetaryValue: 8000 };

describe('customerLifetimeValue', () => {
  it('is E[M] × expected purchases over the horizon when nothing is discounted', () => {
    const clv = customerLifetimeValue(weekly, member, { monthlyDiscountRate: 0 });
    const horizon = (12 * DAYS_PER_MONTH) / 7;
    const purchases = bgNbdConditionalExpectedPurchases(weekly.bgNbd, member, horizon);
    const orderValue = gammaGammaExpectedSpend(weekly.gammaGamma, member);
    expect(clv.expectedPurchases).toBeCloseTo(purchases, 10);
    expect(clv.expectedOrderValueMinor).toBeCloseTo(orderValue, 10);
    expect(clv.valueMinor).toBe(Math.round(purchases * orderValue));
    expect(Number.isInteger(clv.valueMinor)).toBe(true);
  });

  it('discounts each month’s expected purchases at the end of that month', () => {
    // Check the discounting alone: with the monthly increments e₁ … e₁₂ from the model, the value is
    // Σ E[M]·eᵢ / 1.01ⁱ.
    const orderValue = gammaGammaExpectedSpend(weekly.gammaGamma, member);
    let expected = 0;
    let previous = 0;
    for (let i = 1; i <= 12; i++) {
      const cumulative = bgNbdConditionalExpectedPurchases(weekly.bgNbd, member, (i * DAYS_PER_MONTH) / 7);
      expected += (orderValue * (cumulative - previous)) / 1.01 ** i;
      previous = cumulative;
    }
    expect(customerLifetimeValue(weekly, member, { monthlyDiscountRate: 0.01 }).valueMinor).toBe(
      Math.round(expected),
    );
  });

  it('falls as the discount rate rises, rises with the horizon, and scales with the margin', () => {
    const at = (monthlyDiscountRate: number, months = 12, margin = 1) =>
      customerLifetimeValue(weekly, member, { monthlyDiscountRate, months, margin }).valueMinor;
    expect(at(0.02)).toBeLessThan(at(0.01));
    expect(at(0.01)).toBeLessThan(at(0));
    expect(at(0.01, 24)).toBeGreaterThan(at(0.01, 12));
    expect(Math.abs(at(0.01, 12, 0.3) - 0.3 * at(0.01))).toBeLessThanOrEqual(1);
  });

  it('is the same whether BG/NBD was fitted in weeks or in days', () => {
    const daily: LifetimeValueModel = {
      ...weekly,
      bgNbd: { ...weekly.bgNbd, alpha: weekly.bgNbd.alpha * 7 },
      timeUnitDays: 1,
    };
    const inDays = { ...member, recency: member.recency * 7, T: member.T * 7 };
    expect(customerLifetimeValue(daily, inDays, { monthlyDiscountRate: 0.01 }).valueMinor).toBe(
      customerLifetimeValue(weekly, member, { monthlyDiscountRate: 0.01 }).valueMinor,
    );
  });

  it('is worth less for a member who has gone quiet', () => {
    const quiet = { ...member, recency: 5 };
    const active = customerLifetimeValue(weekly, member, { monthlyDiscountRate: 0.01 });
    const lapsed = customerLifetimeValue(weekly, quiet, { monthlyDiscountRate: 0.01 });
    expect(lapsed.probabilityAlive).toBeLessThan(active.probabilityAlive);
    expect(lapsed.valueMinor).toBeLessThan(active.valueMinor);
  });

  it('refuses a negative discount rate or a horizon that is not whole months', () => {
    expect(() => customerLifetimeValue(weekly, member, { monthlyDiscountRate: -0.1 })).toThrow(
      'monthlyDiscountRate',
    );
    expect(() => customerLifetimeValue(weekly, member, { monthlyDiscountRate: 0, months: 1.5 })).toThrow(
      'months',
    );
  });
});
