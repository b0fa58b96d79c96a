/**
 * Points and money are integers (points, minor units) and must stay exact: a product such as
 * points × rate can pass 2^53 long before the result does, so it is formed in BigInt and rounded once,
 * by a rule the caller names. Every result is checked to be a safe integer.
 */

/** How a fraction of a unit is settled. Ties go away from zero with HALF_UP, to the even neighbour with HALF_EVEN. */
export type Rounding = 'FLOOR' | 'CEIL' | 'HALF_UP' | 'HALF_EVEN';

/** Throws unless `value` is a safe integer of at least `min`; the message names the quantity. */
export function requireSafeInteger(name: string, value: number, min = Number.MIN_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number, got ${value}`);
  if (value < min) throw new RangeError(`${name} must be at least ${min}, got ${value}`);
  return value;
}

/** `quantity × numerator / denominator`, rounded by `rounding`. The denominator must be positive. */
export function multiplyByRatio(
  quantity: number,
  numerator: number,
  denominator: number,
  rounding: Rounding,
): number {
  requireSafeInteger('quantity', quantity);
  requireSafeInteger('numerator', numerator);
  requireSafeInteger('denominator', denominator, 1);
  const product = BigInt(quantity) * BigInt(numerator);
  const d = BigInt(denominator);
  let q = product / d; // truncated toward zero
  const r = product % d; // same sign as the product
  if (r !== 0n) {
    const negative = product < 0n;
    const twice = (r < 0n ? -r : r) * 2n;
    const awayFromZero = negative ? -1n : 1n;
    switch (rounding) {
      case 'FLOOR':
        if (negative) q -= 1n;
        break;
      case 'CEIL':
        if (!negative) q += 1n;
        break;
      case 'HALF_UP':
        if (twice >= d) q += awayFromZero;
        break;
      case 'HALF_EVEN':
        if (twice > d || (twice === d && q % 2n !== 0n)) q += awayFromZero;
        break;
    }
  }
  const result = Number(q);
  if (!Number.isSafeInteger(result))
    throw new RangeError(`${quantity} × ${numerator} / ${denominator} is too large`);
  return result;
}

/** Exact sum of safe integers; throws when the total leaves the safe range instead of losing precision. */
export function sumExactly(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) {
    total += value;
    if (!Number.isSafeInteger(total)) throw new RangeError('sum leaves the safe integer range');
  }
  return total;
}

/** −n without ever producing −0, which `Object.is`, test matchers and some stores tell apart from 0. */
export const negate = (n: number): number => 0 - n;
