import { SeededRandom } from '../../../tools/seed/seeded-random.js';
import type { GammaGammaParams } from './gamma-gamma.js';
import {
  fitGammaGamma,
  frequencySpendCorrelation,
  gammaGammaCustomerLogLikelihood,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  gammaGammaPopulationMeanSpend,
} from './gamma-gamma.js';
import { logGamma } from './log-gamma.js';
import { simulateCustomerHistories } from './simulate-customer-histories.js';

/** Known parameters in minor units (fen): mean order value pγ/(q−1) = 6 × 3000 / 3 = 6000 fen, CNY 60. */
const TRUE: GammaGammaParams = { p: 6, q: 4, gamma: 3000 };
const BG_NBD = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const showFigures = process.env.SHOW_FIGURES === '1';

describe('Gamma-Gamma formulas', () => {
  it('is a density in m̄: it integrates to 1 for any x', () => {
    for (const x of [1, 3, 12]) {
      // ∫ f(m) dm = ∫ f(e^s) e^s ds, by the trapezoid rule over s = ln m ∈ ln γ ± 25.
      const steps = 20_000;
      const low = Math.log(TRUE.gamma) - 25;
      const width = 50 / steps;
      let integral = 0;
      for (let i = 0; i <= steps; i++) {
        const s = low + i * width;
        const value = Math.exp(
          gammaGammaCustomerLogLikelihood(TRUE, { frequency: x, monetaryValue: Math.exp(s) }) + s,
        );
        integral += (i === 0 || i === steps ? 0.5 : 1) * value * width;
      }
      expect(integral).toBeCloseTo(1, 6);
    }
  });

  it('is the beta-prime density of one purchase when x = 1', () => {
    const { p, q, gamma } = TRUE;
    const m = 4200;
    const direct =
      logGamma(p + q) -
      logGamma(p) -
      logGamma(q) +
      q * Math.log(gamma) +
      (p - 1) * Math.log(m) -
      (p + q) * Math.log(gamma + m);
    expect(gammaGammaCustomerLogLikelihood(TRUE, { frequency: 1, monetaryValue: m })).toBeCloseTo(direct, 10);
  });

  it('skips members without repeat purchases in the likelihood', () => {
    const informative = { frequency: 2, monetaryValue: 5000 };
    expect(gammaGammaLogLikelihood(TRUE, [informative, { frequency: 0, monetaryValue: 0 }])).toBe(
      gammaGammaCustomerLogLikelihood(TRUE, informative),
    );
  });

  it('shrinks a member’s mean towards the population mean (worked example)', () => {
    // p(γ + m̄x)/(px + q − 1) = 6 × (3000 + 5000 × 3) / (18 + 3) = 108000 / 21
    expect(gammaGammaExpectedSpend(TRUE, { frequency: 3, monetaryValue: 5000 })).toBeCloseTo(108_000 / 21, 9);
    expect(gammaGammaPopulationMeanSpend(TRUE)).toBe(6000);
    expect(gammaGammaExpectedSpend(TRUE, { frequency: 0, monetaryValue: 0 })).toBe(6000);
    expect(gammaGammaPopulationMeanSpend({ ...TRUE, q: 0.9 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with simulation: the mean of E[M | m̄, x] is the mean of the members’ true mean spend', () => {
    const random = new SeededRandom(5);
    let predicted = 0;
    let truth = 0;
    for (let i = 0; i < 20_000; i++) {
      const nu = random.gamma(TRUE.q) / TRUE.gamma;
      const x = 1 + Math.floor(random.next() * 6);
      let spend = 0;
      for (let j = 0; j < x; j++) spend += random.gamma(TRUE.p) / nu;
      predicted += gammaGammaExpectedSpend(TRUE, { frequency: x, monetaryValue: spend / x });
      truth += TRUE.p / nu;
    }
    expect(predicted / truth).toBeGreaterThan(0.98);
    expect(predicted / truth).toBeLessThan(1.02);
  });
});

describe('fitGammaGamma', () => {
  it('recovers known parameters from the repeat buyers among 10,000 simulated members (seeded)', () => {
    const histories = simulateCustomerHistories(
      BG_NBD,
      TRUE,
      { customers: 10_000, minT: 26, maxT: 78 },
      new SeededRandom(2026),
    );
    const fit = fitGammaGamma(histories);
    if (showFigures) {
      console.log(
        `Gamma-Gamma recovery, ${fit.customers} repeat buyers: true ${JSON.stringify(TRUE)}\n  fitted ${JSON.stringify(fit.params)}\n  mean spend fitted ${gammaGammaPopulationMeanSpend(fit.params).toFixed(1)} vs true 6000`,
      );
    }
    expect(fit.converged).toBe(true);
    // The largest errors over seeds 1-10 at this size were p 13.6%, q 6.3%, γ 21.3%, mean spend 2.3%; the
    // tolerances sit about twice above them. p and γ trade off against each other, so the mean spend
    // pγ/(q − 1) is pinned much more tightly than either.
    expect(relativeError(fit.params.p, TRUE.p)).toBeLessThan(0.35);
    expect(relativeError(fit.params.q, TRUE.q)).toBeLessThan(0.2);
    expect(relativeError(fit.params.gamma, TRUE.gamma)).toBeLessThan(0.45);
    expect(relativeError(gammaGammaPopulationMeanSpend(fit.params), 6000)).toBeLessThan(0.05);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(TRUE, histories));
  });

  it('moves with the money unit: γ scales, p and q stay', () => {
    const fen = simulateCustomerHistories(
      BG_NBD,
      TRUE,
      { customers: 3000, minT: 26, maxT: 78 },
      new SeededRandom(3),
    );
    const yuan = fen.map((h) => ({ ...h, monetaryValue: h.monetaryValue / 100 }));
    const inFen = fitGammaGamma(fen);
    const inYuan = fitGammaGamma(yuan);
    expect(relativeError(inYuan.params.gamma * 100, inFen.params.gamma)).toBeLessThan(1e-3);
    expect(relativeError(inYuan.params.p, inFen.params.p)).toBeLessThan(1e-3);
    expect(relativeError(inYuan.params.q, inFen.params.q)).toBeLessThan(1e-3);
  });

  it('needs at least one repeat buyer', () => {
    expect(() => fitGammaGamma([{ frequency: 0, monetaryValue: 0 }])).toThrow('repeat purchases');
  });
});

describe('frequencySpendCorrelation', () => {
  it('is Pearson’s r over the repeat buyers', () => {
    const rows = [
      { frequency: 1, monetaryValue: 10 },
      { frequency: 2, monetaryValue: 20 },
      { frequency: 3, monetaryValue: 30 },
      { frequency: 0, monetaryValue: 0 },
    ];
    expect(frequencySpendCorrelation(rows)).toBeCloseTo(1, 12);
    expect(
      frequencySpendCorrelation(rows.map((r) => ({ ...r, monetaryValue: 100 - r.monetaryValue }))),
    ).toBeCloseTo(-1, 12);
  });
});

function relativeError(value: number, truth: number): number {
  return Math.abs(value / truth - 1);
}
