import { NO_FEEDBACK } from './benefit-feedback.js';
import {
  DEFAULT_RATE,
  K,
  K_TIER,
  describeEngagement,
  engagementByBenefit,
  engagementEstimate,
  tierPriorRate,
} from './engagement-estimate.js';

const counts = (shown: number, engaged: number, ratings = 0, ratingSum = 0) => ({
  ...NO_FEEDBACK,
  shown,
  engaged,
  ratings,
  ratingSum,
});

describe('engagement estimate (Beta-smoothed)', () => {
  it('is the prior, with quality exactly 1, without feedback', () => {
    expect(tierPriorRate([])).toBe(DEFAULT_RATE);
    const estimate = engagementEstimate(NO_FEEDBACK, DEFAULT_RATE);
    expect(estimate.rate).toBe(DEFAULT_RATE);
    expect(estimate.satisfaction).toBe(3);
    expect(estimate.quality).toBe(1);
    expect(estimate.averageRating).toBeNull();
  });

  it('follows the formula: r = (e + K·m₀)/(s + K), m₀ pooled over the tier', () => {
    const prior = tierPriorRate([counts(100, 30), counts(100, 10)]);
    expect(prior).toBeCloseTo((40 + K_TIER * DEFAULT_RATE) / (200 + K_TIER), 12);
    const estimate = engagementEstimate(counts(100, 30), prior);
    expect(estimate.rate).toBeCloseTo((30 + K * prior) / (100 + K), 12);
    expect(estimate.quality).toBeCloseTo(estimate.rate / prior, 12);
  });

  it('moves little on a handful of answers and a lot on many', () => {
    const few = engagementEstimate(counts(2, 2), 0.1);
    const many = engagementEstimate(counts(400, 400), 0.1);
    expect(few.quality).toBeGreaterThan(1);
    expect(few.quality).toBeLessThan(2);
    expect(many.quality).toBeGreaterThan(9);
    expect(engagementEstimate(counts(400, 0), 0.1).quality).toBeLessThan(0.1);
  });

  it('weighs satisfaction: ratings above 3 raise quality, below lower it', () => {
    const happy = engagementEstimate(counts(50, 5, 20, 100), 0.1);
    const unhappy = engagementEstimate(counts(50, 5, 20, 20), 0.1);
    expect(happy.satisfaction).toBeCloseTo((100 + 15) / 25, 12);
    expect(happy.quality).toBeGreaterThan(1);
    expect(unhappy.quality).toBeLessThan(1);
    expect(happy.averageRating).toBe(5);
  });

  it('ranks by evidence per benefit of a tier, and explains it only with enough of it', () => {
    const byBenefit = engagementByBenefit(
      new Map([
        ['good', counts(200, 80, 10, 45)],
        ['poor', counts(200, 4)],
        ['new', NO_FEEDBACK],
      ]),
    );
    expect(byBenefit.get('good')!.quality).toBeGreaterThan(byBenefit.get('new')!.quality);
    expect(byBenefit.get('new')!.quality).toBeGreaterThan(byBenefit.get('poor')!.quality);
    expect(describeEngagement(byBenefit.get('good'))).toBe(
      '40% of 200 members of your tier shown it took it up; rated 4.5/5 by 10 members.',
    );
    expect(describeEngagement(byBenefit.get('new'))).toBeNull();
    expect(describeEngagement(undefined)).toBeNull();
  });
});
