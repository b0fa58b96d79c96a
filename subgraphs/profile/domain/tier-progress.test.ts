import { computeCompositeScore } from '../../shared/domain/composite-score.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { DEFAULT_TIER_BANDS } from '../../shared/domain/tiers.js';
import { extraSpendToReach, tierProgress } from './tier-progress.js';
import { populationModelOf } from '../../../test/population-model-fixture.js';

/** Spend q_p = 1000·p fen (so percentile = spend / 1000), activity q_p = p, interaction q_p = p / 10. */
const model: PopulationModel = populationModelOf(1000, {
  spend: (p) => 1000 * p,
  interaction: (p) => p / 10,
});

describe('tierProgress', () => {
  it('inverts the composite for the spend component (worked example)', () => {
    // spend 50,000 → P 50; activity 70 → P 70; interaction 5 → P 50. S = 30 + 21 + 5 = 56 → BASIC; next CLASSIC (60).
    // P*_spend = (60 − 0.3·70 − 0.1·50) / 0.6 = 34 / 0.6 = 56.67. The scorer rounds S to one decimal, so
    // S = 59.95 already shows as 60: P_spend ≥ 56.583 → spend 56,584 fen → 6,584 fen more → "about ¥70".
    const progress = tierProgress(
      { spend: 50_000, activity: 70, interaction: 5 },
      model,
      DEFAULT_TIER_BANDS,
      {
        partnerName: 'Inkwell Books',
      },
    );
    expect(progress).toEqual({
      current: 'BASIC',
      next: { code: 'CLASSIC', name: 'Classic', minScore: 60 },
      score: 56,
      scoreGap: 4,
      requiredSpendPercentile: 56.7,
      extraSpendMinor: 6_584,
      hint: 'Spend about ¥70 more at Inkwell Books this quarter to reach Classic.',
    });
  });

  it('finds the least spend that the scorer itself puts at the tier (property)', () => {
    for (const [spend, activity, interaction, target] of [
      [50_000, 70, 5, 60],
      [10_000, 60, 5, 80],
      [79_000, 99, 9, 90],
      [0, 0, 0, 60],
    ]) {
      const extra = extraSpendToReach({ spend, activity, interaction }, model, target)!;
      const score = (s: number) => computeCompositeScore({ spend: s, activity, interaction }, model).score;
      expect(score(spend + extra)).toBeGreaterThanOrEqual(target);
      expect(score(spend + extra - 1)).toBeLessThan(target);
    }
  });

  it('says so when spend alone cannot reach the tier', () => {
    // With no activity, even P_spend = 100 gives S = 60: Classic is just reachable (S ≥ 59.95 at P ≥ 99.92),
    // Gold is not.
    const progress = tierProgress({ spend: 0, activity: 0, interaction: 0 }, model, DEFAULT_TIER_BANDS);
    expect(progress.next?.code).toBe('CLASSIC');
    expect(progress.extraSpendMinor).toBe(99_917);
    const gold = extraSpendToReach({ spend: 0, activity: 0, interaction: 0 }, model, 80);
    expect(gold).toBeNull();
    const stuck = tierProgress({ spend: 80_000, activity: 50, interaction: 0 }, model, DEFAULT_TIER_BANDS, {
      heldTier: 'DIAMOND',
    });
    expect(stuck.hint).toBe(
      'Spend alone cannot keep Diamond: more activity (purchases, visits, reviews) at our partners will.',
    );
  });

  it('during a grace period measures the way back to the held tier', () => {
    // S = 0.6·70 + 0.3·70 + 0.1·50 = 68 → CLASSIC by score, GOLD held.
    const progress = tierProgress(
      { spend: 70_000, activity: 70, interaction: 5 },
      model,
      DEFAULT_TIER_BANDS,
      {
        heldTier: 'GOLD',
      },
    );
    expect(progress.current).toBe('GOLD');
    expect(progress.next?.code).toBe('GOLD');
    expect(progress.scoreGap).toBe(12);
    expect(progress.hint).toMatch(/^Spend about ¥\d[\d,]* more at any partner this quarter to keep Gold\.$/);
  });

  it('has nothing to reach at the top tier', () => {
    const progress = tierProgress(
      { spend: 100_000, activity: 100, interaction: 10 },
      model,
      DEFAULT_TIER_BANDS,
    );
    expect(progress).toMatchObject({
      current: 'DIAMOND',
      next: null,
      scoreGap: 0,
      hint: 'You are in the top tier, Diamond.',
    });
  });
});
