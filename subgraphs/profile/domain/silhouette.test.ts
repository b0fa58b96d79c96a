import { euclideanDistance, silhouetteScore } from './silhouette.js';

describe('silhouetteScore', () => {
  it('computes Rousseeuw’s width by hand on four points (worked example)', () => {
    // Points on a line: 0 and 1 in cluster A, 5 and 7 in cluster B.
    // 0: a = 1, b = (5 + 7) / 2 = 6 → 5/6.   1: a = 1, b = (4 + 6) / 2 = 5 → 4/5.
    // 5: a = 2, b = (5 + 4) / 2 = 4.5 → 2.5/4.5.   7: a = 2, b = (7 + 6) / 2 = 6.5 → 4.5/6.5.
    const expected = (5 / 6 + 4 / 5 + 2.5 / 4.5 + 4.5 / 6.5) / 4;
    expect(silhouetteScore([[0], [1], [5], [7]], [0, 0, 1, 1])).toBeCloseTo(expected, 12);
  });

  it('is near 1 for tight, distant clusters and below 0 for a wrong split', () => {
    const points = [
      [0, 0],
      [0, 0.1],
      [0.1, 0],
      [10, 10],
      [10, 10.1],
      [10.1, 10],
    ];
    expect(silhouetteScore(points, [0, 0, 0, 1, 1, 1])).toBeGreaterThan(0.98);
    expect(silhouetteScore(points, [0, 1, 0, 1, 0, 1])).toBeLessThan(0);
  });

  it('counts a singleton as 0 and a single cluster as 0 overall', () => {
    // 0: a = 1, b = 9 → 8/9.   1: a = 1, b = 8 → 7/8.   9: alone → 0.
    expect(silhouetteScore([[0], [1], [9]], [0, 0, 1])).toBeCloseTo((8 / 9 + 7 / 8 + 0) / 3, 12);
    expect(silhouetteScore([[0], [1]], [0, 0])).toBe(0);
  });
});

describe('euclideanDistance', () => {
  it('is the 3-4-5 triangle', () => {
    expect(euclideanDistance([0, 0], [3, 4])).toBe(5);
  });
});
