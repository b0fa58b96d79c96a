// Local bindings: these run millions of times in a fit, and a global lookup of `Math` per call is slow
// in sandboxed contexts (the test runner's vm context is one).
const { abs } = Math;

const MAX_TERMS = 1_000_000;
const RELATIVE_TOLERANCE = 1e-15;

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) by its power series (Abramowitz & Stegun 15.1.1), for
 * |z| < 1 and c not a non-positive integer. BG/NBD only evaluates it at z = t / (α + T + t) ∈ [0, 1), where the series converges;
 * the number of terms grows like 1 / (1 − z), so long horizons over short histories cost more.
 *
 * Summation stops once the terms decrease and the geometric bound on the tail, term · ρ / (1 − ρ) with ρ the
 * current term ratio, is below 1e-15 of the sum.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(abs(z) < 1)) throw new RangeError(`hypergeometric2F1 needs |z| < 1; got z = ${z}`);
  if (c <= 0 && Number.isInteger(c)) {
    throw new RangeError(`hypergeometric2F1 is undefined for c = ${c} (a non-positive integer)`);
  }
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    const rho = abs(ratio);
    if (term === 0 || (rho < 1 && (abs(term) * rho) / (1 - rho) <= RELATIVE_TOLERANCE * abs(sum))) {
      return sum;
    }
  }
  throw new RangeError(`hypergeometric2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}
