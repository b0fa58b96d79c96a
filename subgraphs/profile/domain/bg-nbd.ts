import { describeInvalidHistory } from './customer-history.js';
import { hypergeometric2F1 } from './hypergeometric-2f1.js';
import { logGamma } from './log-gamma.js';
import type { LikelihoodFit, MaximiseLikelihoodOptions } from './maximise-likelihood.js';
import { maximiseLikelihood } from './maximise-likelihood.js';

// Local bindings: these run millions of times in a fit, and a global lookup of `Math` per call is slow
// in sandboxed contexts (the test runner's vm context is one).
const { log, exp, max, pow, abs } = Math;

/**
 * BG/NBD ("beta-geometric / negative binomial distribution"), Fader, Hardie & Lee 2005, "'Counting Your
 * Customers' the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2):275-284.
 * While active, a member buys at rate λ ~ Gamma(r, α) (α is a rate, in the time unit of the data); after
 * each repeat purchase they drop out with probability p ~ Beta(a, b).
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** The part of a history BG/NBD reads. */
export interface RepeatPurchases {
  frequency: number;
  recency: number;
  T: number;
}

/**
 * ln L(r, α, a, b | x, tₓ, T), the likelihood of FHL 2005, written in logs as in Hardie's note "Implementing the BG/NBD
 * Model for Customer Base Analysis in Excel" (2005) so that large x does not overflow:
 *   ln L = A₁ + A₂ + ln(e^A₃ + δ(x>0)·e^A₄)
 *   A₁ = ln Γ(r+x) − ln Γ(r) + r ln α
 *   A₂ = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
 *   A₃ = −(r+x) ln(α+T)
 *   A₄ = ln a − ln(b+x−1) − (r+x) ln(α+tₓ)
 */
export function bgNbdCustomerLogLikelihood({ r, alpha, a, b }: BgNbdParams, h: RepeatPurchases): number {
  const x = h.frequency;
  const a1 = logGamma(r + x) - logGamma(r) + r * log(alpha);
  const a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const a3 = -(r + x) * log(alpha + h.T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + h.recency);
  const top = max(a3, a4);
  return a1 + a2 + top + log(exp(a3 - top) + exp(a4 - top));
}

export function bgNbdLogLikelihood(params: BgNbdParams, histories: readonly RepeatPurchases[]): number {
  return bgNbdLogLikelihoodOf(histories)(params);
}

/**
 * The sample's log-likelihood as a function of the parameters, prepared once for a fit's many evaluations:
 * identical histories are counted once with their multiplicity, and the terms that depend on x alone
 * (A₁, A₂ and ln(b+x−1), the log-gamma calls) are computed once per distinct x. Same sum as adding
 * `bgNbdCustomerLogLikelihood` over the sample.
 */
export function bgNbdLogLikelihoodOf(histories: readonly RepeatPurchases[]): (params: BgNbdParams) => number {
  const groups = new Map<string, { x: number; recency: number; T: number; count: number }>();
  for (const h of histories) {
    const key = `${h.frequency}|${h.recency}|${h.T}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { x: h.frequency, recency: h.recency, T: h.T, count: 1 });
  }
  const rows = [...groups.values()];
  const distinctX = [...new Set(rows.map((g) => g.x))];
  return ({ r, alpha, a, b }) => {
    const byX = new Map<number, { a12: number; logA4: number }>();
    for (const x of distinctX) {
      const a12 =
        logGamma(r + x) -
        logGamma(r) +
        r * log(alpha) +
        logGamma(a + b) +
        logGamma(b + x) -
        logGamma(b) -
        logGamma(a + b + x);
      byX.set(x, { a12, logA4: x > 0 ? log(a) - log(b + x - 1) : 0 });
    }
    let sum = 0;
    for (const g of rows) {
      const { a12, logA4 } = byX.get(g.x)!;
      const a3 = -(r + g.x) * log(alpha + g.T);
      let ll: number;
      if (g.x === 0) ll = a12 + a3;
      else {
        const a4 = logA4 - (r + g.x) * log(alpha + g.recency);
        const top = max(a3, a4);
        ll = a12 + top + log(exp(a3 - top) + exp(a4 - top));
      }
      sum += g.count * ll;
    }
    return sum;
  };
}

export interface BgNbdFit extends Omit<LikelihoodFit, 'params'> {
  params: BgNbdParams;
  customers: number;
}

export function assertFittableHistories(histories: readonly RepeatPurchases[], model: string): void {
  if (histories.length === 0) throw new RangeError(`${model} needs at least one customer to fit`);
  histories.forEach((h, i) => {
    const problem = describeInvalidHistory(h);
    if (problem) throw new RangeError(`${model}: customer #${i + 1}: ${problem}`);
  });
}

/**
 * Maximum-likelihood fit. The search starts at r = a = b = 1 and α = mean T, so it starts at the same place
 * whatever the time unit and the fit moves with the unit as theory says (α scales with it, r, a, b do not).
 */
export function fitBgNbd(
  histories: readonly RepeatPurchases[],
  options: MaximiseLikelihoodOptions = {},
): BgNbdFit {
  assertFittableHistories(histories, 'BG/NBD');
  const meanT = histories.reduce((s, h) => s + h.T, 0) / histories.length;
  const logLikelihood = bgNbdLogLikelihoodOf(histories);
  const fit = maximiseLikelihood(
    ([r, alpha, a, b]) => logLikelihood({ r, alpha, a, b }),
    [1, meanT, 1, 1],
    options,
  );
  const [r, alpha, a, b] = fit.params;
  return { ...fit, params: { r, alpha, a, b }, customers: histories.length };
}

/**
 * E[X(t)]: expected purchases in (0, t] of a member just acquired (FHL 2005):
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]
 * The formula has a removable singularity at a = 1 (the bracket vanishes there too); fits rarely land
 * within 1e-9 of it, and then the value is taken just beside it.
 */
export function bgNbdExpectedPurchases({ r, alpha, a, b }: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const aSafe = nudgedOffOne(a);
  const z = t / (alpha + t);
  const bracket = 1 - pow(alpha / (alpha + t), r) * hypergeometric2F1(r, b, aSafe + b - 1, z);
  return ((aSafe + b - 1) / (aSafe - 1)) * bracket;
}

/**
 * E[Y(t) | x, tₓ, T]: expected purchases in the next t of a member with this history (FHL 2005):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)]
 */
export function bgNbdConditionalExpectedPurchases(
  { r, alpha, a, b }: BgNbdParams,
  h: RepeatPurchases,
  t: number,
): number {
  if (t <= 0) return 0;
  const x = h.frequency;
  const aSafe = nudgedOffOne(a);
  const z = t / (alpha + h.T + t);
  const bracket =
    1 - pow((alpha + h.T) / (alpha + h.T + t), r + x) * hypergeometric2F1(r + x, b + x, aSafe + b + x - 1, z);
  return (((aSafe + b + x - 1) / (aSafe - 1)) * bracket) / (1 + deadOdds({ r, alpha, a, b }, h));
}

/**
 * P(alive | x, tₓ, T) = 1 / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)] (Fader, Hardie & Lee 2008, "Computing
 * P(alive) Using the BG/NBD Model"). A member
 * without repeat purchases is alive with probability 1: BG/NBD only lets a member drop out after a repeat
 * purchase, a known property of the model (discussed in FHL 2005).
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, h: RepeatPurchases): number {
  return 1 / (1 + deadOdds(params, h));
}

/** Odds that the member has dropped out, computed in logs (the power overflows for frequent buyers). */
function deadOdds({ r, alpha, a, b }: BgNbdParams, h: RepeatPurchases): number {
  const x = h.frequency;
  if (x === 0) return 0;
  return exp(log(a) - log(b + x - 1) + (r + x) * (log(alpha + h.T) - log(alpha + h.recency)));
}

function nudgedOffOne(a: number): number {
  return abs(a - 1) < 1e-9 ? 1 + 1e-9 : a;
}
