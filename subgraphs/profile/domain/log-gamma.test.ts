import { logBeta, logGamma } from './log-gamma.js';

/** Reference values from CPython's math.lgamma (independent implementation), printed with repr(). */
const REFERENCE: [number, number][] = [
  [1e-6, 13.81550998074943],
  [1e-3, 6.907178885383854],
  [0.1, 2.2527126517342055],
  [0.5, 0.5723649429247004],
  [1, 0],
  [1.5, -0.12078223763524543],
  [2, 0],
  [3.7, 1.4280723266653883],
  [10, 12.801827480081467],
  [100, 359.1342053695754],
  [1234.5, 7550.550901077896],
  [1e6, 12815504.569147611],
];

describe('logGamma', () => {
  it.each(REFERENCE)('ln Γ(%p) = %p to 1e-13 relative (or absolute near 0)', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it('is ln (n − 1)! at the integers', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 30; n++) {
      expect(logGamma(n)).toBeCloseTo(logFactorial, 11);
      logFactorial += Math.log(n);
    }
  });

  it('satisfies the recurrence ln Γ(x + 1) = ln Γ(x) + ln x', () => {
    for (const x of [0.013, 0.37, 0.5, 0.9, 2.5, 17.25, 300.1]) {
      expect(logGamma(x + 1)).toBeCloseTo(logGamma(x) + Math.log(x), 11);
    }
  });

  it('is NaN outside x > 0', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
    expect(logGamma(Number.NaN)).toBeNaN();
    expect(logGamma(Number.POSITIVE_INFINITY)).toBeNaN();
  });
});

describe('logBeta', () => {
  it('is ln B on integers: B(2, 3) = 1!·2!/4! = 1/12', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 12);
  });

  it('is symmetric', () => {
    expect(logBeta(0.3, 7.1)).toBeCloseTo(logBeta(7.1, 0.3), 12);
  });
});
