import { assessChurnRisk, highValueThreshold, listHighValueAtRisk } from './churn-risk.js';

describe('assessChurnRisk', () => {
  it('flags at risk below P(alive) 0.5 and high value at or above the threshold', () => {
    expect(
      assessChurnRisk({ probabilityAlive: 0.3, spendMinor: 50_000 }, { highValueMinMinor: 40_000 }),
    ).toEqual({
      probabilityAlive: 0.3,
      atRisk: true,
      highValue: true,
      highValueAtRisk: true,
      valueAtRiskMinor: 35_000, // (1 − 0.3) × 50,000
    });
    const safe = assessChurnRisk(
      { probabilityAlive: 0.5, spendMinor: 50_000 },
      { highValueMinMinor: 40_000 },
    );
    expect(safe.atRisk).toBe(false);
    const small = assessChurnRisk(
      { probabilityAlive: 0.1, spendMinor: 39_999 },
      { highValueMinMinor: 40_000 },
    );
    expect([small.atRisk, small.highValue, small.highValueAtRisk]).toEqual([true, false, false]);
  });

  it('takes another threshold when given one', () => {
    expect(
      assessChurnRisk({ probabilityAlive: 0.6, spendMinor: 0 }, { highValueMinMinor: 1, atRiskBelow: 0.7 })
        .atRisk,
    ).toBe(true);
  });
});

describe('highValueThreshold', () => {
  it('is the 80th percentile by nearest rank', () => {
    const spends = Array.from({ length: 11 }, (_, i) => i * 1000); // 0 … 10,000
    expect(highValueThreshold(spends)).toBe(8000);
    expect(highValueThreshold(spends, 0.5)).toBe(5000);
    expect(highValueThreshold([])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('listHighValueAtRisk', () => {
  it('lists only high-value members at risk, most value at stake first', () => {
    const members = [
      { memberId: 'M1', probabilityAlive: 0.2, spendMinor: 100_000 }, // 80,000 at stake
      { memberId: 'M2', probabilityAlive: 0.9, spendMinor: 200_000 }, // not at risk
      { memberId: 'M3', probabilityAlive: 0.1, spendMinor: 5_000 }, // not high value
      { memberId: 'M4', probabilityAlive: 0.4, spendMinor: 150_000 }, // 90,000 at stake
    ];
    expect(listHighValueAtRisk(members, { highValueMinMinor: 50_000 }).map((m) => m.memberId)).toEqual([
      'M4',
      'M1',
    ]);
  });
});
