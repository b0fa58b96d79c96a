import { DEFAULT_TIER_BANDS } from '../../shared/domain/tiers.js';
import type { StoredTier, TierEvaluationOptions } from './tier-evaluation.js';
import { evaluateTier, storedSegmentUnderConsent, storedTierUnderConsent } from './tier-evaluation.js';

const bands = DEFAULT_TIER_BANDS; // DIAMOND ≥ 90, GOLD ≥ 80, CLASSIC ≥ 60, BASIC
const Q1 = new Date('2026-02-15T02:00:00Z');
const Q1_LATER = new Date('2026-03-20T02:00:00Z');
const Q2 = new Date('2026-05-15T02:00:00Z');
const Q3 = new Date('2026-08-15T02:00:00Z');
const Q4 = new Date('2026-11-15T02:00:00Z');

/** Runs evaluations in order and returns the tier after each. */
function run(steps: [Date, number][], options: Partial<TierEvaluationOptions> = {}): StoredTier[] {
  let tier: StoredTier | null = null;
  return steps.map(([now, score]) => (tier = evaluateTier(tier, score, bands, { ...options, now }).tier));
}

describe('evaluateTier', () => {
  it('starts a member at the tier the score qualifies for', () => {
    const { tier, entry } = evaluateTier(null, 85, bands, { now: Q1, modelVersion: 'population-abc' });
    expect(tier).toMatchObject({ code: 'GOLD', since: Q1.toISOString(), period: '2026-Q1', grace: null });
    expect(entry).toEqual({
      at: Q1.toISOString(),
      period: '2026-Q1',
      from: null,
      to: 'GOLD',
      score: 85,
      change: 'initial',
      modelVersion: 'population-abc',
    });
  });

  it('upgrades at once', () => {
    const [, after] = run([
      [Q1, 85],
      [Q1_LATER, 92],
    ]);
    expect(after.code).toBe('DIAMOND');
    expect(after.history.map((h) => h.change)).toEqual(['initial', 'upgrade']);
  });

  it('keeps the tier for one grace period, then moves down', () => {
    const [, grace, down] = run([
      [Q1, 85],
      [Q2, 70],
      [Q3, 70],
    ]);
    expect(grace.code).toBe('GOLD');
    expect(grace.grace).toEqual({
      sincePeriod: '2026-Q2',
      sincePeriodIndex: grace.grace!.sincePeriodIndex,
      qualifiedFor: 'CLASSIC',
    });
    expect(down.code).toBe('CLASSIC');
    expect(down.grace).toBeNull();
    expect(down.since).toBe(Q3.toISOString());
    expect(down.history.map((h) => [h.change, h.from, h.to])).toEqual([
      ['initial', null, 'GOLD'],
      ['grace', 'GOLD', 'GOLD'],
      ['downgrade', 'GOLD', 'CLASSIC'],
    ]);
  });

  it('counts a period once however often it is evaluated', () => {
    const tiers = run([
      [Q1, 85],
      [Q2, 70],
      [new Date('2026-06-01T00:00:00Z'), 70],
      [new Date('2026-06-20T00:00:00Z'), 65],
    ]);
    expect(tiers.map((t) => t.code)).toEqual(['GOLD', 'GOLD', 'GOLD', 'GOLD']);
    expect(tiers[3].history).toHaveLength(2); // initial, grace: re-runs add no entry
    expect(tiers[3].grace?.qualifiedFor).toBe('CLASSIC');
  });

  it('ends the grace when the score recovers, and a later fall starts a new one', () => {
    const tiers = run([
      [Q1, 85],
      [Q2, 70],
      [Q3, 82],
      [Q4, 75],
    ]);
    expect(tiers.map((t) => t.code)).toEqual(['GOLD', 'GOLD', 'GOLD', 'GOLD']);
    expect(tiers[3].history.map((h) => h.change)).toEqual(['initial', 'grace', 'recovered', 'grace']);
    expect(tiers[3].grace?.sincePeriod).toBe('2026-Q4');
  });

  it('moves straight down to the tier the score qualifies for', () => {
    const tiers = run([
      [Q1, 95],
      [Q2, 40],
      [Q3, 40],
    ]);
    expect(tiers.map((t) => t.code)).toEqual(['DIAMOND', 'DIAMOND', 'BASIC']);
  });

  it('counts periods the schedule missed as time below the tier', () => {
    expect(
      run([
        [Q1, 85],
        [Q2, 70],
        [Q4, 70],
      ]).map((t) => t.code),
    ).toEqual(['GOLD', 'GOLD', 'CLASSIC']);
  });

  it('upgrades during a grace period', () => {
    const tiers = run([
      [Q1, 85],
      [Q2, 70],
      [Q3, 93],
    ]);
    expect(tiers[2]).toMatchObject({ code: 'DIAMOND', grace: null });
  });

  it('takes the number of grace periods from the options', () => {
    const steps: [Date, number][] = [
      [Q1, 85],
      [Q2, 70],
      [Q3, 70],
      [Q4, 70],
    ];
    expect(run(steps, { gracePeriods: 0 }).map((t) => t.code)).toEqual([
      'GOLD',
      'CLASSIC',
      'CLASSIC',
      'CLASSIC',
    ]);
    expect(run(steps, { gracePeriods: 2 }).map((t) => t.code)).toEqual(['GOLD', 'GOLD', 'GOLD', 'CLASSIC']);
    expect(() => evaluateTier(null, 50, bands, { now: Q1, gracePeriods: -1 })).toThrow('gracePeriods');
  });

  it('adds no history entry when nothing changes', () => {
    const first = evaluateTier(null, 85, bands, { now: Q1 }).tier;
    const again = evaluateTier(first, 86, bands, { now: Q2 });
    expect(again.entry).toBeNull();
    expect(again.tier).toMatchObject({ code: 'GOLD', since: Q1.toISOString(), score: 86, period: '2026-Q2' });
    expect(again.tier.history).toHaveLength(1);
  });
});

describe('storedTierUnderConsent', () => {
  const stored: StoredTier = {
    ...evaluateTier(null, 85, bands, { now: Q1 }).tier,
    partners: ['inkwell', 'mindspark'],
  };

  it('keeps the stored tier while every brand it was scored from is still shared', () => {
    expect(storedTierUnderConsent(stored, ['inkwell', 'mindspark', 'pulsefit'])).toBe(stored);
    expect(storedTierUnderConsent(null, ['inkwell'])).toBeNull();
  });

  it('sets it aside once one of those brands is no longer shared', () => {
    expect(storedTierUnderConsent(stored, ['mindspark', 'pulsefit'])).toBeNull();
  });

  it('keeps a record from before the brands were recorded', () => {
    const { partners: _partners, ...older } = stored;
    expect(storedTierUnderConsent(older, [])).toBe(older);
  });
});

describe('storedSegmentUnderConsent', () => {
  const stored = { label: 'high value', partners: ['mindspark', 'pulsefit'] };

  it('gives the stored label while every brand it came from is shared', () => {
    expect(storedSegmentUnderConsent(stored, ['inkwell', 'mindspark', 'pulsefit'])).toBe('high value');
  });

  it('sets it aside once one of those brands is no longer shared, and without one', () => {
    expect(storedSegmentUnderConsent(stored, ['mindspark'])).toBeNull();
    expect(storedSegmentUnderConsent(null, ['mindspark'])).toBeNull();
    expect(storedSegmentUnderConsent(undefined, [])).toBeNull();
  });
});
