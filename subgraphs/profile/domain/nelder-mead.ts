export interface NelderMeadOptions {
  /** Size of the first simplex along each axis. */
  initialStep?: number;
  maxIterations?: number;
  /**
   * Stop when the simplex's values differ by less than this, relative to the best value (absolute near 0):
   * a log-likelihood summed over many members carries rounding noise in proportion to its size, which an
   * absolute tolerance may never get under (60,000 members: 60,015 evaluations with 1e-10 absolute, 673
   * with 1e-12 relative, to the same optimum)…
   */
  functionTolerance?: number;
  /** …and its vertices lie within this distance of the best one (max norm). */
  pointTolerance?: number;
}

export interface MinimisationResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** Standard coefficients (Nelder & Mead 1965): reflection 1, expansion 2, contraction ½, shrink ½. */
const REFLECTION = 1;
const EXPANSION = 2;
const CONTRACTION = 0.5;
const SHRINK = 0.5;

/**
 * Derivative-free minimisation by the Nelder–Mead simplex method (Nelder & Mead 1965, "A simplex method for
 * function minimization", Computer Journal 7:308-313), in the form analysed by Lagarias, Reeds, Wright &
 * Wright 1998 (SIAM J. Optim. 9:112-147): inside and outside contraction, shrink when both fail.
 * A value that is NaN counts as +∞, so the search steps away from points where the objective is undefined.
 */
export function minimiseNelderMead(
  objective: (x: number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): MinimisationResult {
  const step = options.initialStep ?? 0.5;
  const maxIterations = options.maxIterations ?? 10_000;
  const functionTolerance = options.functionTolerance ?? 1e-12;
  const pointTolerance = options.pointTolerance ?? 1e-9;
  const n = start.length;
  let evaluations = 0;
  const f = (x: number[]): number => {
    evaluations += 1;
    const value = objective(x);
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
  };
  const simplex: { x: number[]; value: number }[] = [{ x: [...start], value: f([...start]) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] += step;
    simplex.push({ x, value: f(x) });
  }
  const combine = (from: number[], towards: number[], t: number): number[] =>
    from.map((v, i) => v + t * (towards[i] - v));

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0];
    const worst = simplex[n];
    const spread = Math.abs(worst.value - best.value);
    const size = Math.max(
      ...simplex.slice(1).map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - best.x[i])))),
    );
    if (spread <= functionTolerance * (Math.abs(best.value) + 1) && size <= pointTolerance) break;

    const centroid = Array.from(
      { length: n },
      (_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i], 0) / n,
    );
    // Reflection: x_r = c + ρ (c − x_worst)
    const reflected = combine(centroid, worst.x, -REFLECTION);
    const reflectedValue = f(reflected);
    if (reflectedValue < best.value) {
      const expanded = combine(centroid, worst.x, -EXPANSION);
      const expandedValue = f(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { x: expanded, value: expandedValue }
          : { x: reflected, value: reflectedValue };
      continue;
    }
    if (reflectedValue < simplex[n - 1].value) {
      simplex[n] = { x: reflected, value: reflectedValue };
      continue;
    }
    const outside = reflectedValue < worst.value;
    const contracted = outside
      ? combine(centroid, reflected, CONTRACTION)
      : combine(centroid, worst.x, CONTRACTION);
    const contractedValue = f(contracted);
    if (contractedValue < (outside ? reflectedValue : worst.value)) {
      simplex[n] = { x: contracted, value: contractedValue };
      continue;
    }
    for (let i = 1; i <= n; i++) {
      const x = combine(best.x, simplex[i].x, SHRINK);
      simplex[i] = { x, value: f(x) };
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return {
    x: simplex[0].x,
    value: simplex[0].value,
    iterations,
    evaluations,
    converged: iterations < maxIterations,
  };
}
