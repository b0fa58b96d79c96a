import type { BgNbdParams, RepeatPurchases } from './bg-nbd.js';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from './bg-nbd.js';
import type { GammaGammaParams, SpendHistory } from './gamma-gamma.js';
import { gammaGammaExpectedSpend } from './gamma-gamma.js';

/** A fitted lifetime-value model: both parameter sets, and the time unit BG/NBD was fitted in. */
export interface LifetimeValueModel {
  bgNbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Length of BG/NBD's time unit in days: 7 when fitted in weeks, 1 in days. */
  timeUnitDays: number;
}

export interface LifetimeValueOptions {
  /** Horizon in months (12 unless said otherwise). */
  months?: number;
  /** Discount rate per month, e.g. 0.01 for 1% a month (about 12.7% a year). */
  monthlyDiscountRate: number;
  /** Share of the order value kept as margin; 1 values revenue. */
  margin?: number;
}

export interface LifetimeValue {
  /** Discounted value over the horizon, in whole minor units. */
  valueMinor: number;
  /** Expected purchases over the horizon (undiscounted). */
  expectedPurchases: number;
  /** Expected value of one order, in minor units. */
  expectedOrderValueMinor: number;
  probabilityAlive: number;
}

/** Average month: a Julian year over twelve. */
export const DAYS_PER_MONTH = 365.25 / 12;

/**
 * Customer lifetime value over a horizon: margin × E[M] × expected purchases, month by month, each month
 * discounted to today. Following Fader, Hardie & Lee 2005 ("RFM and CLV") the value of a member is
 * the product of the Gamma-Gamma spend per order and the BG/NBD transaction stream, discounted; the
 * discrete monthly sum
 *   CLV = Σᵢ₌₁..H  m · E[M | m̄, x] · (E[Y(iτ) | x, tₓ, T] − E[Y((i−1)τ) | x, tₓ, T]) / (1 + d)ⁱ
 * (τ one month in the model's time unit) is the form of the reference implementation's
 * `customer_lifetime_value` (Davidson-Pilon, "lifetimes"), which buckets purchases by month and discounts
 * each month at its end.
 */
export function customerLifetimeValue(
  model: LifetimeValueModel,
  history: RepeatPurchases & SpendHistory,
  options: LifetimeValueOptions,
): LifetimeValue {
  const months = options.months ?? 12;
  const margin = options.margin ?? 1;
  if (!(options.monthlyDiscountRate >= 0)) {
    throw new RangeError(`monthlyDiscountRate must be 0 or more; got ${options.monthlyDiscountRate}`);
  }
  if (!Number.isInteger(months) || months < 1)
    throw new RangeError(`months must be a whole number ≥ 1; got ${months}`);
  const monthInUnits = DAYS_PER_MONTH / model.timeUnitDays;
  const orderValue = gammaGammaExpectedSpend(model.gammaGamma, history);
  let value = 0;
  let previous = 0;
  for (let i = 1; i <= months; i++) {
    const cumulative = bgNbdConditionalExpectedPurchases(model.bgNbd, history, i * monthInUnits);
    value += (margin * orderValue * (cumulative - previous)) / Math.pow(1 + options.monthlyDiscountRate, i);
    previous = cumulative;
  }
  return {
    valueMinor: Math.round(value),
    expectedPurchases: previous,
    expectedOrderValueMinor: orderValue,
    probabilityAlive: bgNbdProbabilityAlive(model.bgNbd, history),
  };
}
