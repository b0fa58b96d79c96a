import { maximiseLikelihood } from './maximise-likelihood.js';
import { logGamma } from './log-gamma.js';

describe('maximiseLikelihood', () => {
  it('recovers the closed-form MLE of an exponential rate (λ̂ = n / Σx)', () => {
    const sample = [0.3, 1.7, 0.9, 2.4, 0.15, 1.1, 0.6];
    const sum = sample.reduce((a, b) => a + b, 0);
    const fit = maximiseLikelihood(([rate]) => sample.length * Math.log(rate) - rate * sum, [1]);
    expect(fit.converged).toBe(true);
    expect(fit.params[0]).toBeCloseTo(sample.length / sum, 6);
    expect(fit.logLikelihood).toBeCloseTo(sample.length * Math.log(sample.length / sum) - sample.length, 9);
  });

  it('fits a gamma(shape, rate) whose profile likelihood has a known solution', () => {
    // For a gamma sample the MLE satisfies rate = shape / mean and ln(shape) − ψ(shape) = ln(mean) − mean(ln x);
    // checking the first-order conditions numerically avoids hard-coding a digamma.
    const sample = [2.1, 0.7, 3.3, 1.4, 0.9, 5.2, 2.6, 1.8, 0.4, 3.9];
    const n = sample.length;
    const sumX = sample.reduce((a, b) => a + b, 0);
    const sumLog = sample.reduce((a, b) => a + Math.log(b), 0);
    const ll = ([shape, rate]: number[]) =>
      n * (shape * Math.log(rate) - logGamma(shape)) + (shape - 1) * sumLog - rate * sumX;
    const fit = maximiseLikelihood(ll, [1, 1]);
    const [shape, rate] = fit.params;
    expect(rate).toBeCloseTo(shape / (sumX / n), 5);
    const h = 1e-5;
    const dShape = (ll([shape + h, rate]) - ll([shape - h, rate])) / (2 * h);
    expect(Math.abs(dShape)).toBeLessThan(1e-3);
  });

  it('reports every evaluation with the best log-likelihood so far', () => {
    const seen: [number, number][] = [];
    const fit = maximiseLikelihood(([rate]) => Math.log(rate) - rate, [3], {
      onEvaluation: (n, best) => seen.push([n, best]),
    });
    expect(seen.map(([n]) => n)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every(([, best], i) => i === 0 || best >= seen[i - 1][1])).toBe(true);
    expect(seen[seen.length - 1][1]).toBeCloseTo(fit.logLikelihood, 12);
  });

  it('refuses non-positive starting values', () => {
    expect(() => maximiseLikelihood(() => 0, [1, 0])).toThrow('positive finite starting values');
  });
});
