import { minimiseNelderMead } from './nelder-mead.js';

describe('minimiseNelderMead', () => {
  it('finds the minimum of a shifted quadratic bowl', () => {
    const result = minimiseNelderMead(
      ([x, y, z]) => (x - 3) ** 2 + 2 * (y + 1) ** 2 + 0.5 * (z - 0.25) ** 2,
      [0, 0, 0],
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 4);
    expect(result.x[1]).toBeCloseTo(-1, 4);
    expect(result.x[2]).toBeCloseTo(0.25, 4);
    expect(result.value).toBeLessThan(1e-9);
  });

  it('follows the Rosenbrock valley to (1, 1)', () => {
    const rosenbrock = ([x, y]: number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const result = minimiseNelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it('treats NaN as +∞ and so stays where the objective is defined', () => {
    // Defined only for x > 0; minimum of x − ln x at x = 1.
    const result = minimiseNelderMead(([x]) => (x > 0 ? x - Math.log(x) : Number.NaN), [0.2], {
      initialStep: 1,
    });
    expect(result.x[0]).toBeCloseTo(1, 4);
  });

  it('reports non-convergence when the iteration budget runs out', () => {
    const result = minimiseNelderMead(([x, y]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2, [-1.2, 1], {
      maxIterations: 5,
    });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(5);
  });
});
