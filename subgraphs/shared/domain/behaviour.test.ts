import type { DailyActivity } from './behaviour.js';
import {
  AFFINITY_HALF_LIFE_DAYS,
  BEHAVIOUR_WINDOW_DAYS,
  dayKey,
  recencyWeight,
  summariseBehaviour,
} from './behaviour.js';

describe('dayKey', () => {
  it('is the UTC calendar day of the instant', () => {
    expect(dayKey(new Date('2024-06-30T23:59:59.999Z'))).toBe('2024-06-30');
    expect(dayKey(new Date('2024-07-01T00:00:00.000Z'))).toBe('2024-07-01');
    // 08:00 on 1 July in UTC+8 is still 30 June in UTC.
    expect(dayKey(new Date('2024-07-01T07:59:00+08:00'))).toBe('2024-06-30');
  });
});

describe('recencyWeight', () => {
  it('is 1 today and halves every half-life', () => {
    expect(AFFINITY_HALF_LIFE_DAYS).toBe(90);
    expect(recencyWeight(0)).toBe(1);
    expect(recencyWeight(90)).toBeCloseTo(0.5, 12);
    expect(recencyWeight(180)).toBeCloseTo(0.25, 12);
    // 45 days is half a half-life: 0.5^0.5 = 0.70710678…
    expect(recencyWeight(45)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('takes a custom half-life', () => {
    expect(recencyWeight(30, 30)).toBeCloseTo(0.5, 12);
    expect(recencyWeight(60, 30)).toBeCloseTo(0.25, 12);
  });

  it('treats a negative age as today', () => {
    expect(recencyWeight(-10)).toBe(1);
  });

  it('decreases strictly with age and stays in (0, 1]', () => {
    let previous = Infinity;
    for (let age = 0; age <= 3650; age += 7) {
      const weight = recencyWeight(age);
      expect(weight).toBeLessThan(previous);
      expect(weight).toBeGreaterThan(0);
      expect(weight).toBeLessThanOrEqual(1);
      previous = weight;
    }
  });
});

describe('summariseBehaviour', () => {
  const now = new Date('2024-06-30T15:00:00.000Z');

  it('rolls up the days of the window with time-decayed category totals (worked example)', () => {
    const days: Record<string, DailyActivity> = {
      // Age 0, weight 1.
      '2024-06-30': {
        purchaseCount: 1,
        spendMinor: 1000,
        browseCount: 2,
        browseSeconds: 60,
        categories: { technology: { spendMinor: 1000, purchaseCount: 1, browseSeconds: 60 } },
      },
      // Age 90 (Apr 1 → May 1 is 30 days, → Jun 1 is 31, → Jun 30 is 29), weight 0.5.
      '2024-04-01': {
        purchaseCount: 2,
        spendMinor: 4000,
        interactionCount: 3,
        referralCount: 1,
        categories: {
          technology: { spendMinor: 2000, purchaseCount: 1 },
          arts: { spendMinor: 2000, purchaseCount: 1, browseSeconds: 100, interactionCount: 3 },
        },
      },
      // Age 364 (2023-07-01 → 2024-07-01 is 366 days, leap year), the last day inside the 365-day window.
      '2023-07-02': { browseCount: 1, browseSeconds: 90, categories: { health: { browseSeconds: 90 } } },
      // Age 365: just outside the window.
      '2023-07-01': { purchaseCount: 7, spendMinor: 70_000, categories: { family: { spendMinor: 70_000 } } },
      // Tomorrow: in the future, ignored.
      '2024-07-01': {
        purchaseCount: 9,
        spendMinor: 99_999,
        categories: { language: { spendMinor: 99_999 } },
      },
    };

    const summary = summariseBehaviour('inkwell', days, now);

    expect(summary).toMatchObject({
      partner: 'inkwell',
      windowDays: BEHAVIOUR_WINDOW_DAYS,
      purchaseCount: 3, // 1 + 2
      spendMinor: 5000, // 1000 + 4000
      browseCount: 3, // 2 + 1
      browseSeconds: 150, // 60 + 90
      interactionCount: 3,
      referralCount: 1,
      firstPurchaseAt: null,
      lastPurchaseAt: '2024-06-30T00:00:00.000Z',
    });
    expect(summary.categories.map((c) => c.category)).toEqual(['arts', 'health', 'technology']);

    const [arts, health, technology] = summary.categories;
    expect(arts).toMatchObject({
      spendMinor: 2000,
      purchaseCount: 1,
      browseSeconds: 100,
      interactionCount: 3,
    });
    expect(arts.decayedSpend).toBeCloseTo(1000, 9); // 2000 × 0.5
    expect(arts.decayedBrowseSeconds).toBeCloseTo(50, 9); // 100 × 0.5
    expect(health).toMatchObject({ spendMinor: 0, purchaseCount: 0, browseSeconds: 90, decayedSpend: 0 });
    // 90 × 0.5^(364/90) = 90 × 0.060604… ≈ 5.4544
    expect(health.decayedBrowseSeconds).toBeCloseTo(90 * Math.pow(0.5, 364 / 90), 9);
    expect(health.decayedBrowseSeconds).toBeCloseTo(5.4544, 4);
    expect(technology).toMatchObject({ spendMinor: 3000, purchaseCount: 2, browseSeconds: 60 });
    expect(technology.decayedSpend).toBeCloseTo(2000, 9); // 1000 × 1 + 2000 × 0.5
    expect(technology.decayedBrowseSeconds).toBeCloseTo(60, 9);
  });

  it('counts whole calendar days, whatever the time of day of now', () => {
    const days: Record<string, DailyActivity> = {
      '2024-04-01': { spendMinor: 100, categories: { arts: { spendMinor: 100 } } },
    };
    const early = summariseBehaviour('p', days, new Date('2024-06-30T00:00:01.000Z'));
    const late = summariseBehaviour('p', days, new Date('2024-06-30T23:59:59.000Z'));
    expect(early).toEqual(late);
    expect(early.categories[0].decayedSpend).toBeCloseTo(50, 9); // age 90 → 100 × 0.5
  });

  it('ignores every day outside the window and every future day', () => {
    const days: Record<string, DailyActivity> = {
      '2023-07-01': {
        purchaseCount: 1,
        spendMinor: 100,
        browseCount: 1,
        interactionCount: 1,
        referralCount: 1,
      },
      '2020-01-01': { purchaseCount: 1, spendMinor: 100 },
      '2024-07-01': { purchaseCount: 1, spendMinor: 100, browseCount: 1 },
      '2025-06-30': { purchaseCount: 1, spendMinor: 100 },
    };
    const summary = summariseBehaviour('p', days, now);
    expect(summary).toEqual({
      partner: 'p',
      windowDays: 365,
      purchaseCount: 0,
      spendMinor: 0,
      browseCount: 0,
      browseSeconds: 0,
      interactionCount: 0,
      referralCount: 0,
      firstPurchaseAt: null,
      lastPurchaseAt: null,
      categories: [],
    });
  });

  it('honours a custom window length: age windowDays − 1 is in, age windowDays is out', () => {
    const days: Record<string, DailyActivity> = {
      '2024-06-01': { purchaseCount: 1, spendMinor: 100 }, // age 29
      '2024-05-31': { purchaseCount: 1, spendMinor: 1000 }, // age 30
    };
    const summary = summariseBehaviour('p', days, now, { windowDays: 30 });
    expect(summary.windowDays).toBe(30);
    expect(summary.spendMinor).toBe(100);
    expect(summary.purchaseCount).toBe(1);
  });

  it('returns an empty summary for no days', () => {
    const summary = summariseBehaviour('p', {}, now);
    expect(summary.categories).toEqual([]);
    expect(summary.lastPurchaseAt).toBeNull();
    expect(summary.purchaseCount + summary.spendMinor + summary.browseCount).toBe(0);
  });

  it('takes lastPurchaseAt from the latest day with a purchase, not the latest day with activity', () => {
    const days: Record<string, DailyActivity> = {
      '2024-06-29': { browseCount: 3, browseSeconds: 30 },
      '2024-06-10': { purchaseCount: 1, spendMinor: 500 },
      '2024-05-01': { purchaseCount: 2, spendMinor: 900 },
      '2024-06-20': { interactionCount: 1 },
    };
    expect(summariseBehaviour('p', days, now).lastPurchaseAt).toBe('2024-06-10T00:00:00.000Z');
  });

  it('passes firstPurchaseAt through as an ISO string', () => {
    const summary = summariseBehaviour('p', {}, now, {
      firstPurchaseAt: new Date('2019-03-04T05:06:07.000Z'),
    });
    expect(summary.firstPurchaseAt).toBe('2019-03-04T05:06:07.000Z');
    expect(summariseBehaviour('p', {}, now, { firstPurchaseAt: null }).firstPurchaseAt).toBeNull();
  });

  it('skips a key that is not a date', () => {
    const days: Record<string, DailyActivity> = {
      'not-a-day': { purchaseCount: 1, spendMinor: 100 },
      '2024-06-30': { purchaseCount: 1, spendMinor: 7 },
    };
    expect(summariseBehaviour('p', days, now).spendMinor).toBe(7);
  });
});
