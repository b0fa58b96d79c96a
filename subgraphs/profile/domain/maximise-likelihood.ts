import type { NelderMeadOptions } from './nelder-mead.js';
import { minimiseNelderMead } from './nelder-mead.js';

export interface LikelihoodFit {
  /** Maximum-likelihood estimates, in the order of `initial`. */
  params: number[];
  logLikelihood: number;
  /** Nelder–Mead runs (the first plus restarts from the best point). */
  runs: number;
  evaluations: number;
  converged: boolean;
}

export interface MaximiseLikelihoodOptions extends NelderMeadOptions {
  /**
   * Restart the simplex around the best point until a run improves the log-likelihood by less than this,
   * relative to its size (absolute near 0).
   */
  restartTolerance?: number;
  maxRuns?: number;
  /** Called after every evaluation, with the count so far and the best log-likelihood yet (for progress). */
  onEvaluation?: (evaluations: number, bestLogLikelihood: number) => void;
}

/**
 * Maximum-likelihood estimates of strictly positive parameters: Nelder–Mead on θ = ln(params), so the
 * search is unconstrained and moves in relative steps (a shape parameter of 0.2 and a scale of 3,000 are
 * searched alike). A simplex can collapse before reaching the optimum (Lagarias et al. 1998), so the
 * search restarts from the best point with a fresh simplex until a run no longer improves the fit, the
 * usual safeguard (Press et al., "Numerical Recipes", on the downhill simplex method).
 */
export function maximiseLikelihood(
  logLikelihood: (params: number[]) => number,
  initial: readonly number[],
  options: MaximiseLikelihoodOptions = {},
): LikelihoodFit {
  if (initial.some((p) => !(p > 0) || !Number.isFinite(p))) {
    throw new RangeError(
      `maximiseLikelihood needs positive finite starting values; got ${initial.join(', ')}`,
    );
  }
  const restartTolerance = options.restartTolerance ?? 1e-10;
  const maxRuns = options.maxRuns ?? 8;
  let calls = 0;
  let best = Number.NEGATIVE_INFINITY;
  const objective = (theta: number[]): number => {
    const ll = logLikelihood(theta.map(Math.exp));
    if (options.onEvaluation) {
      calls += 1;
      if (ll > best) best = ll;
      options.onEvaluation(calls, best);
    }
    return -ll;
  };
  let theta = initial.map(Math.log);
  let value = objective(theta);
  let evaluations = 1;
  let runs = 0;
  let converged = false;
  while (runs < maxRuns) {
    const result = minimiseNelderMead(objective, theta, options);
    runs += 1;
    evaluations += result.evaluations;
    const improvement = value - result.value;
    if (result.value <= value) {
      theta = result.x;
      value = result.value;
    }
    if (result.converged && !(improvement > restartTolerance * (Math.abs(value) + 1))) {
      converged = true;
      break;
    }
  }
  return { params: theta.map(Math.exp), logLikelihood: -value, runs, evaluations, converged };
}
