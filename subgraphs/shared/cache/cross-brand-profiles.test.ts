import { populationModelOf } from '../../../test/population-model-fixture.js';
import type { BrandBehaviour } from '../domain/behaviour.js';
import { emptyBehaviour } from '../domain/behaviour.js';
import { crossBrandProfileFromInputs } from '../domain/cross-brand-profile.js';
import type { CrossBrandProfileInputs } from './cross-brand-profiles.js';
import { CrossBrandProfiles, crossBrandProfilesOf } from './cross-brand-profiles.js';

const model = populationModelOf(500, { interaction: (p) => p / 10 });
const PARTNERS = ['mindspark', 'inkwell'];

function behaviour(partner: string, spendMinor: number): BrandBehaviour {
  return { ...emptyBehaviour(partner), purchaseCount: spendMinor > 0 ? 1 : 0, spendMinor };
}

function inputs(overrides: Partial<CrossBrandProfileInputs> = {}): CrossBrandProfileInputs {
  return {
    behaviours: [behaviour('mindspark', 120_000), behaviour('inkwell', 30_000)],
    partners: PARTNERS,
    consentedPartners: PARTNERS,
    storedTier: null,
    ...overrides,
  };
}

describe('cross-brand profiles by input fingerprint', () => {
  it('computes a profile once for the same inputs and hands the same one out again', () => {
    const profiles = new CrossBrandProfiles(model);
    const first = profiles.profileOf(inputs());
    // Equal inputs built afresh, as the benefits subgraph receives them in its own representation.
    const second = profiles.profileOf(inputs());
    expect(second.profile).toBe(first.profile);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(profiles.counts).toEqual({ computed: 1, shared: 1 });
    expect(first.profile).toEqual(
      crossBrandProfileFromInputs(inputs().behaviours, PARTNERS, PARTNERS, model, null),
    );
  });

  it.each<[string, Partial<CrossBrandProfileInputs>]>([
    ['a behaviour changed', { behaviours: [behaviour('mindspark', 120_001), behaviour('inkwell', 30_000)] }],
    ['consent withdrawn', { consentedPartners: ['mindspark'] }],
    ['a stored tier', { storedTier: 'GOLD' }],
  ])('computes afresh when %s', (_, changed) => {
    const profiles = new CrossBrandProfiles(model);
    const before = profiles.profileOf(inputs());
    const after = profiles.profileOf(inputs(changed));
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.profile).not.toBe(before.profile);
    expect(after.profile).toEqual(
      crossBrandProfileFromInputs(
        inputs(changed).behaviours,
        PARTNERS,
        inputs(changed).consentedPartners,
        model,
        inputs(changed).storedTier,
      ),
    );
    expect(profiles.counts.computed).toBe(2);
  });

  it('ignores what the profile does not use: the behaviour of a brand not consented to', () => {
    const profiles = new CrossBrandProfiles(model);
    const onlyMindspark = { consentedPartners: ['mindspark'] };
    const before = profiles.profileOf(inputs(onlyMindspark));
    const after = profiles.profileOf(
      inputs({ ...onlyMindspark, behaviours: [behaviour('mindspark', 120_000), behaviour('inkwell', 1)] }),
    );
    expect(after.profile).toBe(before.profile);
  });

  it('tells a brand that did not answer from one without activity, and keeps no such profile', () => {
    const profiles = new CrossBrandProfiles(model);
    const missing = inputs({ behaviours: [behaviour('mindspark', 120_000), null] });
    const degraded = profiles.profileOf(missing);
    expect(degraded.profile.unavailablePartners).toEqual(['inkwell']);
    expect(degraded.fingerprint).not.toBe(
      profiles.fingerprint(
        inputs({ behaviours: [behaviour('mindspark', 120_000), emptyBehaviour('inkwell')] }),
      ),
    );
    expect(profiles.size).toBe(0);
    expect(profiles.profileOf(missing).profile).not.toBe(degraded.profile);
    expect(profiles.counts.computed).toBe(2);
  });

  it('forgets the least recently used profile first', () => {
    const profiles = new CrossBrandProfiles(model, 2);
    const spends = [1_000, 2_000, 3_000];
    const of = (spend: number) =>
      inputs({ behaviours: [behaviour('mindspark', spend), null], consentedPartners: ['mindspark'] });
    const a = profiles.profileOf(of(spends[0]));
    profiles.profileOf(of(spends[1]));
    expect(profiles.profileOf(of(spends[0])).profile).toBe(a.profile); // a is now the most recent
    profiles.profileOf(of(spends[2])); // evicts the second
    expect(profiles.size).toBe(2);
    expect(profiles.profileOf(of(spends[0])).profile).toBe(a.profile);
    expect(profiles.counts.computed).toBe(3);
    profiles.profileOf(of(spends[1]));
    expect(profiles.counts.computed).toBe(4);
  });

  it('is one per population model: another model, even of the same version, shares nothing', () => {
    const other = populationModelOf(500, { interaction: (p) => p });
    expect(crossBrandProfilesOf(model)).toBe(crossBrandProfilesOf(model));
    expect(crossBrandProfilesOf(other)).not.toBe(crossBrandProfilesOf(model));
    const mine = crossBrandProfilesOf(model).profileOf(inputs());
    const theirs = crossBrandProfilesOf(other).profileOf(inputs());
    expect(theirs.profile).not.toBe(mine.profile);
  });
});
