import { multiplyByRatio, requireSafeInteger, sumExactly } from './exact-ratio.js';

describe('multiplyByRatio', () => {
  it('is exact when the ratio divides evenly', () => {
    expect(multiplyByRatio(1_000, 5, 100, 'FLOOR')).toBe(50);
    expect(multiplyByRatio(-1_000, 5, 100, 'HALF_EVEN')).toBe(-50);
  });

  it('rounds 50.5 by each rule', () => {
    // 1,010 × 5 % = 50.5
    expect(multiplyByRatio(1_010, 500, 10_000, 'FLOOR')).toBe(50);
    expect(multiplyByRatio(1_010, 500, 10_000, 'CEIL')).toBe(51);
    expect(multiplyByRatio(1_010, 500, 10_000, 'HALF_UP')).toBe(51);
    expect(multiplyByRatio(1_010, 500, 10_000, 'HALF_EVEN')).toBe(50);
    expect(multiplyByRatio(1_030, 500, 10_000, 'HALF_EVEN')).toBe(52); // 51.5 → 52
  });

  it('rounds negative quantities symmetrically for the half rules and downwards for FLOOR', () => {
    expect(multiplyByRatio(-1_010, 500, 10_000, 'HALF_UP')).toBe(-51);
    expect(multiplyByRatio(-1_010, 500, 10_000, 'HALF_EVEN')).toBe(-50);
    expect(multiplyByRatio(-1_010, 500, 10_000, 'FLOOR')).toBe(-51);
    expect(multiplyByRatio(-1_010, 500, 10_000, 'CEIL')).toBe(-50);
    expect(multiplyByRatio(-3, 1, 2, 'HALF_EVEN')).toBe(-2);
  });

  it('stays exact when the intermediate product passes 2^53', () => {
    // 9e15 × 3 / 3 would lose digits in floating point.
    expect(multiplyByRatio(4_503_599_627_370_497, 2, 2, 'FLOOR')).toBe(4_503_599_627_370_497);
    expect(multiplyByRatio(Number.MAX_SAFE_INTEGER, 7, 7, 'FLOOR')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a result beyond the safe range, fractions and a zero denominator', () => {
    expect(() => multiplyByRatio(Number.MAX_SAFE_INTEGER, 2, 1, 'FLOOR')).toThrow('too large');
    expect(() => multiplyByRatio(1.5, 1, 1, 'FLOOR')).toThrow('quantity must be a whole number');
    expect(() => multiplyByRatio(1, 1, 0, 'FLOOR')).toThrow('denominator must be at least 1');
  });
});

describe('requireSafeInteger and sumExactly', () => {
  it('names the quantity at fault', () => {
    expect(requireSafeInteger('points', 5, 1)).toBe(5);
    expect(() => requireSafeInteger('points', 0, 1)).toThrow('points must be at least 1, got 0');
    expect(() => requireSafeInteger('points', Number.NaN)).toThrow('points must be a whole number');
  });

  it('sums and refuses to lose precision', () => {
    expect(sumExactly([1, 2, -3, 10])).toBe(10);
    expect(() => sumExactly([Number.MAX_SAFE_INTEGER, 1])).toThrow('safe integer range');
  });
});
