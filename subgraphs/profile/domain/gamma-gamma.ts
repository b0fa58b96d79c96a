import { logGamma } from './log-gamma.js';
import type { LikelihoodFit, MaximiseLikelihoodOptions } from './maximise-likelihood.js';
import { maximiseLikelihood } from './maximise-likelihood.js';

// Local bindings: these run millions of times in a fit, and a global lookup of `Math` per call is slow
// in sandboxed contexts (the test runner's vm context is one).
const { log, sqrt } = Math;

/**
 * Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves
 * for Customer Base Analysis", J. Marketing Research 42(4):415-430; notation and likelihood from
 * Fader & Hardie's note "The Gamma-Gamma Model of Monetary Value" (2013). A member's transaction values are
 * Gamma(p, ν), their scale ν ~ Gamma(q, γ) across members; γ carries the money unit (minor units here).
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** The part of a history the Gamma-Gamma model reads: x repeat purchases with mean value m̄. */
export interface SpendHistory {
  frequency: number;
  monetaryValue: number;
}

/** Only members with repeat purchases of positive value carry information on spend (Fader & Hardie 2013). */
export function isSpendInformative(h: SpendHistory): boolean {
  return h.frequency > 0 && h.monetaryValue > 0;
}

/**
 * ln f(m̄ | p, q, γ; x) (Fader & Hardie 2013):
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + m̄x)
 */
export function gammaGammaCustomerLogLikelihood({ p, q, gamma }: GammaGammaParams, h: SpendHistory): number {
  const x = h.frequency;
  const m = h.monetaryValue;
  return (
    logGamma(p * x + q) -
    logGamma(p * x) -
    logGamma(q) +
    q * log(gamma) +
    (p * x - 1) * log(m) +
    p * x * log(x) -
    (p * x + q) * log(gamma + m * x)
  );
}

/** Sum over the informative members (see `isSpendInformative`); the others are skipped. */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  histories: readonly SpendHistory[],
): number {
  return gammaGammaLogLikelihoodOf(histories)(params);
}

/**
 * The sample's log-likelihood as a function of the parameters, prepared once for a fit: ln m̄ and ln x are
 * taken once per member and the log-gamma terms once per distinct x. Same sum as adding
 * `gammaGammaCustomerLogLikelihood` over the informative members.
 */
export function gammaGammaLogLikelihoodOf(
  histories: readonly SpendHistory[],
): (params: GammaGammaParams) => number {
  const rows = histories
    .filter(isSpendInformative)
    .map((h) => ({ x: h.frequency, m: h.monetaryValue, logM: log(h.monetaryValue), logX: log(h.frequency) }));
  const distinctX = [...new Set(rows.map((r) => r.x))];
  return ({ p, q, gamma }) => {
    const byX = new Map<number, number>();
    for (const x of distinctX) byX.set(x, logGamma(p * x + q) - logGamma(p * x));
    const perMember = -logGamma(q) + q * log(gamma);
    let sum = 0;
    for (const r of rows) {
      const px = p * r.x;
      sum += byX.get(r.x)! + perMember + (px - 1) * r.logM + px * r.logX - (px + q) * log(gamma + r.m * r.x);
    }
    return sum;
  };
}

export interface GammaGammaFit extends Omit<LikelihoodFit, 'params'> {
  params: GammaGammaParams;
  /** Members with repeat purchases, the ones the fit used. */
  customers: number;
}

/** Maximum-likelihood fit, started at p = q = 1 and γ = mean m̄ so it starts alike in any money unit. */
export function fitGammaGamma(
  histories: readonly SpendHistory[],
  options: MaximiseLikelihoodOptions = {},
): GammaGammaFit {
  const informative = histories.filter(isSpendInformative);
  if (informative.length === 0) {
    throw new RangeError('Gamma-Gamma needs at least one customer with repeat purchases of positive value');
  }
  const meanSpend = informative.reduce((s, h) => s + h.monetaryValue, 0) / informative.length;
  const logLikelihood = gammaGammaLogLikelihoodOf(informative);
  const fit = maximiseLikelihood(
    ([p, q, gamma]) => logLikelihood({ p, q, gamma }),
    [1, 1, meanSpend],
    options,
  );
  const [p, q, gamma] = fit.params;
  return { ...fit, params: { p, q, gamma }, customers: informative.length };
}

/** E[M] = pγ / (q − 1), the population's mean transaction value; infinite when q ≤ 1. */
export function gammaGammaPopulationMeanSpend({ p, q, gamma }: GammaGammaParams): number {
  return q > 1 ? (p * gamma) / (q - 1) : Number.POSITIVE_INFINITY;
}

/**
 * E[M | p, q, γ; m̄, x] = p(γ + m̄x) / (px + q − 1) (FHL 2005, "RFM and CLV"; Fader & Hardie 2013): a
 * weighted mean of the population mean and the member's own mean, the member's weight growing with x.
 * With x = 0 it is the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, h: SpendHistory): number {
  if (!isSpendInformative(h)) return gammaGammaPopulationMeanSpend(params);
  const { p, q, gamma } = params;
  return (p * (gamma + h.monetaryValue * h.frequency)) / (p * h.frequency + q - 1);
}

/**
 * Pearson correlation of frequency and mean spend over the informative members. The model assumes the two
 * are independent (Fader & Hardie 2013); a strong correlation is a reason not to trust its CLV.
 */
export function frequencySpendCorrelation(histories: readonly SpendHistory[]): number {
  const rows = histories.filter(isSpendInformative);
  const n = rows.length;
  if (n < 2) return Number.NaN;
  const mx = rows.reduce((s, h) => s + h.frequency, 0) / n;
  const mm = rows.reduce((s, h) => s + h.monetaryValue, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const h of rows) {
    sxy += (h.frequency - mx) * (h.monetaryValue - mm);
    sxx += (h.frequency - mx) ** 2;
    syy += (h.monetaryValue - mm) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : Number.NaN;
}
