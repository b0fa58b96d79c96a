import { populationModelOf } from '../../../test/population-model-fixture.js';
import { emptyBehaviour } from './behaviour.js';
import type { CategoryAffinity } from './affinity.js';
import { computeCategoryAffinities } from './affinity.js';
import type { BrandBehaviour, CategoryActivity } from './behaviour.js';
import type { PopulationModel } from './population-model.js';
import type { TierBand } from './tiers.js';
import { tierForScore } from './tiers.js';
import {
  INTEREST_TAG_MIN_SHARE,
  computeCrossBrandProfile,
  computeShareOfWallet,
  consentedBehaviours,
  deriveInterestTags,
  jointTier,
  requiredBehaviours,
} from './cross-brand-profile.js';

function behaviour(partial: Partial<BrandBehaviour>): BrandBehaviour {
  return { ...emptyBehaviour('p'), ...partial };
}

function activity(
  category: CategoryActivity['category'],
  decayedSpend: number,
  decayedBrowseSeconds = 0,
): CategoryActivity {
  return {
    category,
    spendMinor: decayedSpend,
    purchaseCount: decayedSpend > 0 ? 1 : 0,
    browseSeconds: decayedBrowseSeconds,
    interactionCount: 0,
    decayedSpend,
    decayedBrowseSeconds,
  };
}

/** Spend q_p = 100p, activity q_p = p, interaction q_p = p / 10. */
const model: PopulationModel = populationModelOf(500, {
  interaction: (p) => p / 10,
});

describe('consentedBehaviours', () => {
  it('keeps only consented brands, drops null and undefined entries, and keeps the order', () => {
    const a = behaviour({ partner: 'mindspark' });
    const b = behaviour({ partner: 'inkwell' });
    const c = behaviour({ partner: 'pulsefit' });
    expect(consentedBehaviours([a, null, b, undefined, c], ['pulsefit', 'mindspark'])).toEqual([a, c]);
  });

  it('keeps nothing without consent', () => {
    expect(consentedBehaviours([behaviour({ partner: 'mindspark' })], [])).toEqual([]);
    expect(consentedBehaviours([null, undefined], ['mindspark'])).toEqual([]);
  });
});

describe('computeShareOfWallet', () => {
  it('divides each brand’s spend by the total (worked example)', () => {
    // 3000 / 4000 = 0.75, 1000 / 4000 = 0.25; the brand with no spend is left out.
    expect(
      computeShareOfWallet([
        behaviour({ partner: 'b', spendMinor: 1000 }),
        behaviour({ partner: 'c', spendMinor: 0, browseCount: 4 }),
        behaviour({ partner: 'a', spendMinor: 3000 }),
      ]),
    ).toEqual([
      { partner: 'a', share: 0.75 },
      { partner: 'b', share: 0.25 },
    ]);
  });

  it('leaves brands with net refunds out of both the list and the total', () => {
    // total = 2000 + 2000 (−700 ignored) → 0.5 each, ties sorted by partner.
    expect(
      computeShareOfWallet([
        behaviour({ partner: 'z', spendMinor: 2000 }),
        behaviour({ partner: 'x', spendMinor: -700 }),
        behaviour({ partner: 'y', spendMinor: 2000 }),
      ]),
    ).toEqual([
      { partner: 'y', share: 0.5 },
      { partner: 'z', share: 0.5 },
    ]);
  });

  it('is empty when nothing was spent', () => {
    expect(computeShareOfWallet([])).toEqual([]);
    expect(computeShareOfWallet([behaviour({ partner: 'a', browseCount: 3 })])).toEqual([]);
  });

  it('sums to 1 (property)', () => {
    const spends = [1, 7, 13, 999, 12_345, 0, 3];
    const shares = computeShareOfWallet(spends.map((s, i) => behaviour({ partner: `b${i}`, spendMinor: s })));
    expect(Math.abs(shares.reduce((sum, s) => sum + s.share, 0) - 1)).toBeLessThan(1e-9);
  });
});

describe('deriveInterestTags', () => {
  const affinities: CategoryAffinity[] = [
    { category: 'technology', share: 0.55 },
    { category: 'arts', share: 0.151 },
    { category: 'health', share: 0.15 },
    { category: 'family', share: 0.149 },
  ];

  it('tags every category holding at least 15% of the affinity', () => {
    expect(INTEREST_TAG_MIN_SHARE).toBe(0.15);
    expect(deriveInterestTags(affinities, [])).toEqual(['technology', 'arts', 'health']);
  });

  it('adds active-reviewer from 5 interactions across brands', () => {
    const four = [
      behaviour({ partner: 'a', interactionCount: 3 }),
      behaviour({ partner: 'b', interactionCount: 1 }),
    ];
    const five = [
      behaviour({ partner: 'a', interactionCount: 3 }),
      behaviour({ partner: 'b', interactionCount: 2 }),
    ];
    expect(deriveInterestTags([], four)).toEqual([]);
    expect(deriveInterestTags([], five)).toEqual(['active-reviewer']);
  });

  it('adds referrer from one referral', () => {
    expect(deriveInterestTags([], [behaviour({ referralCount: 1 })])).toEqual(['referrer']);
  });

  it('adds multi-brand once three brands show any activity', () => {
    const active = [
      behaviour({ partner: 'a', purchaseCount: 1 }),
      behaviour({ partner: 'b', browseCount: 1 }),
      behaviour({ partner: 'c', spendMinor: 5000 }), // spend without a purchase or visit does not count as activity
    ];
    expect(deriveInterestTags([], active)).toEqual([]);
    active.push(behaviour({ partner: 'd', interactionCount: 1 }));
    expect(deriveInterestTags([], active)).toEqual(['multi-brand']);
  });
});

describe('computeCrossBrandProfile', () => {
  const behaviours = [
    behaviour({
      partner: 'mindspark',
      purchaseCount: 3,
      spendMinor: 6000,
      browseCount: 20,
      interactionCount: 2,
      categories: [activity('technology', 3000, 100)],
    }),
    behaviour({
      partner: 'inkwell',
      purchaseCount: 2,
      spendMinor: 2000,
      browseCount: 25,
      referralCount: 1,
      categories: [activity('arts', 1000, 100), activity('health', 0, 200)],
    }),
    behaviour({ partner: 'pulsefit' }),
  ];

  it('combines affinities, composite score, tier, wallet share and explanation (worked example)', () => {
    // spend 6000 + 2000 = 8000 → 80; activity (3 + 20) + (2 + 25) = 50 → 50; interaction 2 + 1 = 3 → 30.
    // 0.6 × 80 + 0.3 × 50 + 0.1 × 30 = 48 + 15 + 3 = 66 → CLASSIC (60 ≤ 66 < 80).
    const profile = computeCrossBrandProfile(behaviours, model);
    expect(profile.composite).toEqual({
      score: 66,
      spendPercentile: 80,
      activityPercentile: 50,
      interactionPercentile: 30,
    });
    expect(profile.tier.code).toBe('CLASSIC');
    expect(profile.modelVersion).toBe('population-test');
    expect(profile.brandsActive).toEqual(['inkwell', 'mindspark']); // pulsefit has no activity; sorted
    // 6000 / 8000 = 0.75, 2000 / 8000 = 0.25
    expect(profile.shareOfWallet).toEqual([
      { partner: 'mindspark', share: 0.75 },
      { partner: 'inkwell', share: 0.25 },
    ]);
    // Same inputs as the affinity worked example: technology 0.6, arts 0.25, health 0.15.
    expect(profile.affinities).toEqual(computeCategoryAffinities(behaviours));
    expect(profile.affinities.map((a) => a.category)).toEqual(['technology', 'arts', 'health']);
    expect(profile.interestTags).toEqual(['technology', 'arts', 'health', 'referrer']);
    expect(profile.explanation).toEqual([
      'Composite score 66 = 0.6 × spend percentile 80 + 0.3 × activity percentile 50 + 0.1 × interaction percentile 30 (population model population-test).',
      'Tier CLASSIC: the score reaches the CLASSIC threshold of 60.',
      'Built from your activity at inkwell, mindspark over the last 365 days; only brands you consented to share with count.',
      'Strongest interest: technology (60% of your recent spend and browsing).',
    ]);
  });

  it('uses the configured tier bands', () => {
    const bands: TierBand[] = [
      { code: 'DIAMOND', name: 'Diamond', minScore: 65 },
      { code: 'BASIC', name: 'Basic', minScore: 0 },
    ];
    const profile = computeCrossBrandProfile(behaviours, model, bands);
    expect(profile.tier).toEqual(bands[0]);
    expect(profile.explanation[1]).toBe('Tier DIAMOND: the score reaches the DIAMOND threshold of 65.');
  });

  it('explains an empty profile for a member with no consented activity', () => {
    const profile = computeCrossBrandProfile([], model);
    expect(profile.affinities).toEqual([]);
    expect(profile.brandsActive).toEqual([]);
    expect(profile.shareOfWallet).toEqual([]);
    expect(profile.interestTags).toEqual([]);
    expect(profile.composite.score).toBe(0);
    expect(profile.tier.code).toBe('BASIC');
    expect(profile.explanation).toHaveLength(3);
    expect(profile.explanation[2]).toBe('No activity at a brand you consented to share with yet.');
  });

  it('always reports a tier consistent with its composite score', () => {
    for (let spend = 0; spend <= 12_000; spend += 250) {
      for (const activityCount of [0, 10, 60, 99, 150]) {
        const profile = computeCrossBrandProfile(
          [
            behaviour({
              spendMinor: spend,
              purchaseCount: activityCount,
              interactionCount: activityCount % 11,
            }),
          ],
          model,
        );
        expect(profile.tier).toEqual(tierForScore(profile.composite.score));
        expect(profile.composite.score).toBeGreaterThanOrEqual(0);
        expect(profile.composite.score).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe('requiredBehaviours', () => {
  it('reads each partner’s behaviour field of a representation, in the order of the partners given', () => {
    const mindspark = behaviour({ partner: 'mindspark', spendMinor: 2_147_483_648 });
    const representation = { id: 'M1', mindsparkBehaviour: mindspark, inkwellBehaviour: null };
    expect(requiredBehaviours(representation, ['inkwell', 'mindspark', 'pulsefit'])).toEqual([
      null,
      mindspark,
      undefined,
    ]);
  });
});

describe('jointTier: the stored tier holds between scheduled evaluations', () => {
  it('is the live score’s tier when no evaluation has stored one', () => {
    expect(jointTier(85, null)).toEqual({
      tier: tierForScore(85),
      explanation: 'Tier GOLD: the score reaches the GOLD threshold of 80.',
    });
  });

  it('keeps a stored tier the score has fallen below, and says why', () => {
    const { tier, explanation } = jointTier(72.5, 'GOLD');
    expect(tier.code).toBe('GOLD');
    expect(explanation).toBe(
      "Tier GOLD, as the last scheduled tier evaluation stored it; today's score 72.5 is below its threshold of 80, and a tier moves down only after a grace period of evaluations below it.",
    );
  });

  it('waits for the next evaluation before a higher score raises the tier', () => {
    const { tier, explanation } = jointTier(93, 'CLASSIC');
    expect(tier.code).toBe('CLASSIC');
    expect(explanation).toContain(
      "today's score 93 reaches DIAMOND (90), which applies at the next evaluation",
    );
  });

  it('says the stored tier still matches when the score agrees', () => {
    expect(jointTier(81, 'GOLD').explanation).toBe(
      "Tier GOLD, as the last scheduled tier evaluation stored it; today's score still reaches its threshold of 80.",
    );
  });

  it('gives the profile the stored tier and its explanation, the composite unchanged', () => {
    const live = computeCrossBrandProfile([behaviour({ spendMinor: 9000, purchaseCount: 5 })], model);
    const held = computeCrossBrandProfile(
      [behaviour({ spendMinor: 9000, purchaseCount: 5 })],
      model,
      undefined,
      [],
      'DIAMOND',
    );
    expect(held.composite).toEqual(live.composite);
    expect(live.tier.code).not.toBe('DIAMOND');
    expect(held.tier.code).toBe('DIAMOND');
    expect(held.explanation[1]).toBe(jointTier(live.composite.score, 'DIAMOND').explanation);
  });
});
