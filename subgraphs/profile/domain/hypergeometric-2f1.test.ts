import { hypergeometric2F1 } from './hypergeometric-2f1.js';

/** Reference values from mpmath.hyp2f1 (arbitrary precision), rounded to double. */
const REFERENCE: [number, number, number, number, number][] = [
  [1, 1, 2, 0.5, 1.3862943611198906],
  [0.243, 2.426, 2.219, 0.5, 1.2070970070440423],
  [2.243, 4.426, 4.219, 0.3366, 2.6360416507421878],
  [0.25, 2.5, 2.3, 0.93, 2.2162871284079166],
  [0.25, 2.5, 2.3, 0.995, 5.8560661628170445],
  [5.5, 8, 12.1, 0.8, 158.10666198115692],
  [1.5, 2, 3, -0.5, 0.6598632371090413],
  [30.2, 32.5, 33.1, 0.6, 621293874695.427],
  [0.3, 1.2, -0.4, 0.6, -2.945024418220726],
];

describe('hypergeometric2F1', () => {
  it.each(REFERENCE)('₂F₁(%p, %p; %p; %p) = %p to 1e-12 relative', (a, b, c, z, expected) => {
    expect(Math.abs(hypergeometric2F1(a, b, c, z) / expected - 1)).toBeLessThan(1e-12);
  });

  it('is −ln(1 − z)/z for a = b = 1, c = 2 (A&S 15.1.3)', () => {
    for (const z of [0.01, 0.2, 0.7, 0.99]) {
      expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 12);
    }
  });

  it('is (1 − z)^(−a) when b = c (binomial series)', () => {
    for (const z of [0.1, 0.5, 0.9]) {
      expect(hypergeometric2F1(0.7, 3.3, 3.3, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 11);
    }
  });

  it('is 1 at z = 0', () => {
    expect(hypergeometric2F1(3, 4, 5, 0)).toBe(1);
  });

  it('refuses |z| ≥ 1 and c a non-positive integer', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow('|z| < 1');
    expect(() => hypergeometric2F1(1, 1, 0, 0.5)).toThrow('non-positive integer');
    expect(() => hypergeometric2F1(1, 1, -2, 0.5)).toThrow('non-positive integer');
  });
});
