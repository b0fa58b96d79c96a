import { tierAnalytics } from './tier-analytics.js';

describe('tierAnalytics', () => {
  it('lists every tier highest first, counts members not evaluated, and sums changes per period', () => {
    const result = tierAnalytics(
      {
        current: [
          { code: 'GOLD', members: 3 },
          { code: 'BASIC', members: 10 },
        ],
        changes: [
          { period: '2026-11', change: 'upgrade', members: 2 },
          { period: '2026-10', change: 'initial', members: 13 },
          { period: '2026-11', change: 'grace', members: 1 },
          { period: '2026-11', change: 'downgrade', members: 4 },
          { period: '2026-11', change: 'recovered', members: 1 },
        ],
      },
      20,
    );
    expect(result.current).toEqual([
      { tier: 'DIAMOND', members: 0 },
      { tier: 'GOLD', members: 3 },
      { tier: 'CLASSIC', members: 0 },
      { tier: 'BASIC', members: 10 },
    ]);
    expect(result.notEvaluated).toBe(7);
    expect(result.periods).toEqual([
      { period: '2026-10', initial: 13, upgrades: 0, downgrades: 0, grace: 0, recovered: 0 },
      { period: '2026-11', initial: 0, upgrades: 2, downgrades: 4, grace: 1, recovered: 1 },
    ]);
  });

  it('leaves out changes it does not know rather than guessing', () => {
    const result = tierAnalytics(
      { current: [], changes: [{ period: '2026-11', change: 'merged', members: 5 }] },
      0,
    );
    expect(result.periods).toEqual([]);
    expect(result.notEvaluated).toBe(0);
  });
});
