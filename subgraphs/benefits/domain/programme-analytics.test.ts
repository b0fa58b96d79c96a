import { penetrationBuckets, pointsAnalytics, retentionCohorts } from './programme-analytics.js';

describe('penetrationBuckets', () => {
  it('lists 1..n brands with zeros where no member falls', () => {
    expect(
      penetrationBuckets(
        [
          { brands: 1, members: 40 },
          { brands: 3, members: 5 },
        ],
        4,
      ),
    ).toEqual([
      { brands: 1, members: 40 },
      { brands: 2, members: 0 },
      { brands: 3, members: 5 },
      { brands: 4, members: 0 },
    ]);
  });
});

describe('retentionCohorts', () => {
  it('builds the triangle: each cohort as long as the months left in the window', () => {
    const rows = [
      { cohort: '2026-01', month: '2026-01', members: 10 },
      { cohort: '2026-01', month: '2026-02', members: 6 },
      { cohort: '2026-01', month: '2026-03', members: 4 },
      { cohort: '2026-02', month: '2026-02', members: 8 },
      { cohort: '2026-02', month: '2026-03', members: 2 },
    ];
    expect(retentionCohorts(rows, ['2026-01', '2026-02', '2026-03'])).toEqual([
      { cohort: '2026-01', size: 10, retained: [10, 6, 4] },
      { cohort: '2026-02', size: 8, retained: [8, 2] },
      { cohort: '2026-03', size: 0, retained: [0] },
    ]);
  });

  it('ignores months outside the window', () => {
    const rows = [{ cohort: '2026-01', month: '2026-05', members: 3 }];
    expect(retentionCohorts(rows, ['2026-01', '2026-02'])[0].retained).toEqual([0, 0]);
  });
});

describe('pointsAnalytics', () => {
  it('sums magnitudes per kind in the window and the signed balance up to its end', () => {
    const figures = pointsAnalytics(
      [
        { kind: 'earn', month: null, points: 1000 },
        { kind: 'redeem', month: null, points: -300 },
        { kind: 'earn', month: '2026-01', points: 500 },
        { kind: 'reverse', month: '2026-01', points: -50 },
        { kind: 'expire', month: '2026-02', points: -100 },
        { kind: 'adjust', month: '2026-02', points: -7 },
      ],
      ['2026-01', '2026-02'],
    );
    expect(figures).toMatchObject({ issued: 500, reversed: 50, redeemed: 0, expired: 100, adjusted: -7 });
    // 1000 - 300 + 500 - 50 - 100 - 7
    expect(figures.outstanding).toBe(1043);
    expect(figures.monthly).toEqual([
      { month: '2026-01', issued: 500, reversed: 50, redeemed: 0, expired: 0, adjusted: 0 },
      { month: '2026-02', issued: 0, reversed: 0, redeemed: 0, expired: 100, adjusted: -7 },
    ]);
  });
});
