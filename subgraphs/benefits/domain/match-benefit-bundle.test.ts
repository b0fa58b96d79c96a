import { seededUniform } from '../../../tools/seed/seeded-random.js';
import { join } from 'node:path';
import type { CategoryAffinity } from '../../shared/domain/affinity.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';
import { JOINT_CATEGORIES } from '../../shared/domain/joint-categories.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import { TIER_CODES } from '../../shared/domain/tiers.js';
import { loadPartnerRegistry } from '../../shared/config/partner-registry.js';
import type { BundleItem, CatalogueBenefit } from './match-benefit-bundle.js';
import { NO_FEEDBACK } from './feedback/benefit-feedback.js';
import { engagementByBenefit } from './feedback/engagement-estimate.js';
import {
  BUNDLE_SIZE,
  MAX_PER_PARTNER,
  benefitValueMinor,
  matchBenefitBundle,
  scoreBenefit,
} from './match-benefit-bundle.js';

function benefit(
  code: string,
  partner: string,
  category: JointCategory,
  valueMinor: number,
  extra: Partial<CatalogueBenefit> = {},
): CatalogueBenefit {
  return {
    code,
    partner,
    title: code,
    type: 'VOUCHER',
    category,
    eligibleTiers: [...TIER_CODES],
    valueMinor,
    ...extra,
  };
}

const codes = (bundle: BundleItem[]): string[] => bundle.map((item) => item.benefit.code);

/** Two benefits of different partners that may appear together: the catalogue allows a two-partner bundle. */
function allowsTwoPartners(eligible: CatalogueBenefit[]): boolean {
  return eligible.some((a) =>
    eligible.some(
      (b) => a.partner !== b.partner && !(a.exclusivityGroup && a.exclusivityGroup === b.exclusivityGroup),
    ),
  );
}

function expectConstraints(bundle: BundleItem[], catalogue: CatalogueBenefit[], tier: TierCode): void {
  const eligible = catalogue.filter((b) => b.eligibleTiers.includes(tier));
  expect(bundle.length).toBeLessThanOrEqual(BUNDLE_SIZE[tier]);
  expect(new Set(codes(bundle)).size).toBe(bundle.length);
  for (const item of bundle) expect(item.benefit.eligibleTiers).toContain(tier);

  const perPartner = new Map<string, number>();
  for (const item of bundle)
    perPartner.set(item.benefit.partner, (perPartner.get(item.benefit.partner) ?? 0) + 1);
  for (const count of perPartner.values()) expect(count).toBeLessThanOrEqual(MAX_PER_PARTNER);

  const groups = bundle.map((item) => item.benefit.exclusivityGroup).filter((g): g is string => !!g);
  expect(new Set(groups).size).toBe(groups.length);

  if (allowsTwoPartners(eligible)) expect(perPartner.size).toBeGreaterThanOrEqual(2);
  if (eligible.length > 0) expect(bundle.length).toBeGreaterThan(0);

  // Greedy fill: a bundle short of its size has no eligible benefit left that would still fit.
  if (bundle.length < BUNDLE_SIZE[tier]) {
    const taken = new Set(codes(bundle));
    for (const candidate of eligible.filter((b) => !taken.has(b.code))) {
      const partnerFull = (perPartner.get(candidate.partner) ?? 0) >= MAX_PER_PARTNER;
      const groupTaken = !!candidate.exclusivityGroup && groups.includes(candidate.exclusivityGroup);
      expect(partnerFull || groupTaken).toBe(true);
    }
  }

  for (let i = 1; i < bundle.length; i += 1) expect(bundle[i].score).toBeLessThanOrEqual(bundle[i - 1].score);
}

describe('benefitValueMinor', () => {
  it('takes the face value when there is one', () => {
    expect(benefitValueMinor(benefit('V', 'a', 'arts', 9900))).toBe(9900);
    expect(benefitValueMinor(benefit('V', 'a', 'arts', 9900, { percentOff: 50 }))).toBe(9900);
  });

  it('values a percentage discount by its percentage, and at 0 when it has neither', () => {
    const ten = benefitValueMinor(benefit('D', 'a', 'arts', 0, { valueMinor: null, percentOff: 10 }));
    const twenty = benefitValueMinor(benefit('D', 'a', 'arts', 0, { valueMinor: null, percentOff: 20 }));
    expect(ten).toBeGreaterThan(0);
    expect(twenty).toBe(2 * ten);
    // 10% of a typical year of spend at the partner (200 000 minor units) = 20 000.
    expect(ten).toBe(20_000);
    expect(benefitValueMinor(benefit('N', 'a', 'arts', 0, { valueMinor: null, percentOff: null }))).toBe(0);
  });
});

describe('scoreBenefit', () => {
  it('multiplies the category affinity by log10(1 + value) (worked example)', () => {
    const affinities: CategoryAffinity[] = [
      { category: 'arts', share: 0.5 },
      { category: 'health', share: 0.01 },
    ];
    // 0.5 × log10(1 + 999) = 0.5 × 3 = 1.5
    expect(scoreBenefit(benefit('A', 'a', 'arts', 999), affinities)).toBeCloseTo(1.5, 12);
    // untouched category → floor 0.05: 0.05 × log10(1 + 9999) = 0.05 × 4 = 0.2
    expect(scoreBenefit(benefit('T', 'a', 'technology', 9999), affinities)).toBeCloseTo(0.2, 12);
    // an affinity below the floor is raised to it: 0.05 × 3 = 0.15
    expect(scoreBenefit(benefit('H', 'a', 'health', 999), affinities)).toBeCloseTo(0.15, 12);
  });
});

describe('matchBenefitBundle', () => {
  it('brings in a second partner even when its only fitting benefit shares a group with a stronger one', () => {
    // Greedy alone takes A1 (9000) and A2 (5000): one partner. {A2, B1} is allowed and spans two partners.
    const catalogue = [
      benefit('A1', 'a', 'arts', 9000, { exclusivityGroup: 'g' }),
      benefit('A2', 'a', 'arts', 5000),
      benefit('B1', 'b', 'arts', 1000, { exclusivityGroup: 'g' }),
    ];
    const codes = matchBenefitBundle(catalogue, 'BASIC', []).map((i) => i.benefit.code);
    expect(new Set(codes)).toEqual(new Set(['A2', 'B1']));
  });

  const affinities: CategoryAffinity[] = [
    { category: 'arts', share: 0.8 },
    { category: 'health', share: 0.2 },
  ];
  const small = [
    benefit('A-ARTS', 'a', 'arts', 999), // log10 1000 = 3
    benefit('B-TECH', 'b', 'technology', 9999), // log10 10000 = 4
    benefit('C-HEALTH', 'c', 'health', 99), // log10 100 = 2
    benefit('D-FAMILY', 'd', 'family', 9), // log10 10 = 1
  ];

  it('ranks by affinity × value and explains each item (worked example)', () => {
    // A 0.8 × 3 = 2.4; C 0.2 × 2 = 0.4; B 0.05 × 4 = 0.2; D 0.05 × 1 = 0.05. BASIC takes 3.
    const bundle = matchBenefitBundle(small, 'BASIC', affinities);
    expect(bundle.map((item) => [item.benefit.code, item.score])).toEqual([
      ['A-ARTS', 2.4],
      ['C-HEALTH', 0.4],
      ['B-TECH', 0.2],
    ]);
    expect(bundle.map((item) => item.reason)).toEqual([
      'BASIC benefit from a; matches your interest in arts (80% of your activity).',
      'BASIC benefit from c; matches your interest in health (20% of your activity).',
      'BASIC benefit from b; widens your mix with technology.',
    ]);
  });

  it('re-ranks by what members of the tier did with each benefit, and says why (worked example)', () => {
    // Members of the tier took C up half the time and rated it well; none of the 400 shown A took it up.
    const engagement = engagementByBenefit(
      new Map([
        ['A-ARTS', { ...NO_FEEDBACK, shown: 400, engaged: 0 }],
        ['C-HEALTH', { ...NO_FEEDBACK, shown: 400, engaged: 200, ratings: 50, ratingSum: 225 }],
      ]),
    );
    const bundle = matchBenefitBundle(small, 'BASIC', affinities, { engagement });
    // Prior m₀ = (200 + 2) / 820 ≈ 0.246; A: r = 20·m₀/420, quality ≈ 0.048 (score 0.114, below B's 0.2);
    // C: r ≈ 0.488, quality ≈ 1.98 × (225 + 15)/55/3 ≈ 2.88 (score ≈ 1.15, first).
    const quality = (code: string) => engagement.get(code)!.quality;
    expect(bundle.map((item) => [item.benefit.code, item.score])).toEqual([
      ['C-HEALTH', Math.round(0.4 * quality('C-HEALTH') * 1000) / 1000],
      ['B-TECH', 0.2],
      ['A-ARTS', Math.round(2.4 * quality('A-ARTS') * 1000) / 1000],
    ]);
    expect(bundle[0].reason).toBe(
      'BASIC benefit from c; matches your interest in health (20% of your activity). 50% of 400 members of your tier shown it took it up; rated 4.5/5 by 50 members.',
    );
    // No feedback: exactly the ranking of affinity × value.
    expect(matchBenefitBundle(small, 'BASIC', affinities, { engagement: new Map() })).toEqual(
      matchBenefitBundle(small, 'BASIC', affinities),
    );
  });

  it('ranks by value alone when not personalised (worked example)', () => {
    // Every category at the floor 0.05: B 0.2, A 0.15, C 0.1, D 0.05.
    const bundle = matchBenefitBundle(small, 'BASIC', affinities, { personalised: false });
    expect(bundle.map((item) => [item.benefit.code, item.score])).toEqual([
      ['B-TECH', 0.2],
      ['A-ARTS', 0.15],
      ['C-HEALTH', 0.1],
    ]);
    expect(bundle[1].reason).toBe('BASIC benefit from a; widens your mix with arts.');
  });

  it('ignores affinities entirely in the non-personalised option', () => {
    const catalogue = Array.from({ length: 24 }, (_, i) =>
      benefit(`B-${i}`, `partner${i % 5}`, JOINT_CATEGORIES[i % 8], 1000 + ((i * 7919) % 20_000)),
    );
    const other: CategoryAffinity[] = [{ category: 'family', share: 1 }];
    for (const tier of TIER_CODES) {
      const plain = matchBenefitBundle(catalogue, tier, [], { personalised: false });
      expect(matchBenefitBundle(catalogue, tier, affinities, { personalised: false })).toEqual(plain);
      expect(matchBenefitBundle(catalogue, tier, other, { personalised: false })).toEqual(plain);
    }
  });

  it('sizes the bundle by tier', () => {
    const catalogue = Array.from({ length: 20 }, (_, i) =>
      benefit(`B-${i}`, `partner${i % 5}`, JOINT_CATEGORIES[i % 8], 500 + i),
    );
    expect(BUNDLE_SIZE).toEqual({ DIAMOND: 6, GOLD: 5, CLASSIC: 4, BASIC: 3 });
    for (const tier of TIER_CODES)
      expect(matchBenefitBundle(catalogue, tier, affinities)).toHaveLength(BUNDLE_SIZE[tier]);
  });

  it('takes at most two benefits from one partner, however strong its offer', () => {
    const catalogue = [
      ...[1, 2, 3, 4, 5].map((i) => benefit(`BIG-${i}`, 'big', 'arts', 100_000 + i)),
      benefit('S-1', 'small', 'health', 10),
      benefit('T-1', 'tiny', 'family', 5),
      benefit('U-1', 'other', 'language', 2),
    ];
    const bundle = matchBenefitBundle(catalogue, 'GOLD', affinities);
    // GOLD wants 5: the two best of "big", then the three others.
    expect(codes(bundle)).toEqual(['BIG-5', 'BIG-4', 'S-1', 'T-1', 'U-1']);
    expectConstraints(bundle, catalogue, 'GOLD');
  });

  it('takes one benefit per exclusivity group', () => {
    const catalogue = [
      benefit('A-10', 'a', 'arts', 20_000, { exclusivityGroup: 'a-discount' }),
      benefit('A-5', 'a', 'arts', 10_000, { exclusivityGroup: 'a-discount' }),
      benefit('A-X', 'a', 'arts', 1000),
      benefit('B-1', 'b', 'health', 500),
      benefit('C-1', 'c', 'health', 400),
    ];
    const bundle = matchBenefitBundle(catalogue, 'CLASSIC', affinities);
    expect(codes(bundle)).toEqual(['A-10', 'A-X', 'B-1', 'C-1']);
  });

  it('offers only benefits of the member’s tier', () => {
    const catalogue = [
      benefit('D-ONLY', 'a', 'arts', 90_000, { eligibleTiers: ['DIAMOND'] }),
      benefit('G-UP', 'b', 'arts', 50_000, { eligibleTiers: ['GOLD', 'DIAMOND'] }),
      benefit('ALL-1', 'c', 'health', 100),
      benefit('ALL-2', 'd', 'family', 100),
    ];
    expect(codes(matchBenefitBundle(catalogue, 'BASIC', affinities))).toEqual(['ALL-1', 'ALL-2']);
    expect(codes(matchBenefitBundle(catalogue, 'GOLD', affinities))).toEqual(['G-UP', 'ALL-1', 'ALL-2']);
    expect(codes(matchBenefitBundle(catalogue, 'DIAMOND', affinities))).toEqual([
      'D-ONLY',
      'G-UP',
      'ALL-1',
      'ALL-2',
    ]);
  });

  it('brings in a second partner even when one partner’s offer is much stronger', () => {
    const catalogue = [
      benefit('A-1', 'a', 'arts', 500_000),
      benefit('A-2', 'a', 'arts', 400_000),
      benefit('A-3', 'a', 'arts', 300_000),
      benefit('B-1', 'b', 'technology', 1),
    ];
    const bundle = matchBenefitBundle(catalogue, 'BASIC', affinities);
    expect(codes(bundle)).toEqual(['A-1', 'A-2', 'B-1']);
  });

  it('returns what there is when the catalogue is small, and nothing for an empty one', () => {
    expect(codes(matchBenefitBundle([benefit('A-1', 'a', 'arts', 10)], 'DIAMOND', affinities))).toEqual([
      'A-1',
    ]);
    const onePartner = [
      benefit('A-1', 'a', 'arts', 30),
      benefit('A-2', 'a', 'arts', 20),
      benefit('A-3', 'a', 'arts', 10),
    ];
    expect(codes(matchBenefitBundle(onePartner, 'DIAMOND', affinities))).toEqual(['A-1', 'A-2']);
    expect(matchBenefitBundle([], 'GOLD', affinities)).toEqual([]);
  });

  it('breaks score ties by benefit code', () => {
    const catalogue = ['C', 'A', 'D', 'B'].map((p) => benefit(`${p}-X`, p.toLowerCase(), 'language', 100));
    expect(codes(matchBenefitBundle(catalogue, 'BASIC', []))).toEqual(['A-X', 'B-X', 'C-X']);
  });

  describe('on the partner registry catalogue', () => {
    const registry = loadPartnerRegistry(join(__dirname, '../../../schema/partners.json'));
    const catalogue: CatalogueBenefit[] = registry.partners.flatMap((partner) =>
      partner.benefits.map((b) => ({ ...b, partner: partner.key })),
    );
    const profiles: CategoryAffinity[][] = [
      [],
      [{ category: 'technology', share: 1 }],
      [
        { category: 'entertainment', share: 0.6 },
        { category: 'family', share: 0.4 },
      ],
      JOINT_CATEGORIES.map((category) => ({ category, share: 1 / JOINT_CATEGORIES.length })),
    ];

    it.each([...TIER_CODES])('fills a full %s bundle under every constraint', (tier) => {
      for (const affinities of profiles) {
        for (const personalised of [true, false]) {
          const bundle = matchBenefitBundle(catalogue, tier, affinities, { personalised });
          expect(bundle).toHaveLength(BUNDLE_SIZE[tier]);
          expectConstraints(bundle, catalogue, tier);
        }
      }
    });

    it('puts a technology lover’s strongest technology benefit first', () => {
      const bundle = matchBenefitBundle(catalogue, 'GOLD', [{ category: 'technology', share: 1 }]);
      expect(bundle[0].benefit.category).toBe('technology');
      expect(bundle[0].reason).toBe(
        `GOLD benefit from ${bundle[0].benefit.partner}; matches your interest in technology (100% of your activity).`,
      );
    });
  });

  it('keeps every constraint on random catalogues (property)', () => {
    const random = seededUniform(99);
    for (let run = 0; run < 400; run += 1) {
      const partners = 1 + Math.floor(random() * 4);
      const catalogue: CatalogueBenefit[] = Array.from({ length: Math.floor(random() * 14) }, (_, i) => {
        const partner = `p${Math.floor(random() * partners)}`;
        const tiers = TIER_CODES.filter(() => random() < 0.6);
        return benefit(
          `B-${i}`,
          partner,
          JOINT_CATEGORIES[Math.floor(random() * 8)],
          Math.floor(random() * 50_000),
          {
            eligibleTiers: tiers.length > 0 ? tiers : ['BASIC'],
            // Exclusivity groups are per partner, as in the registry ("<partner>-discount").
            exclusivityGroup: random() < 0.4 ? `${partner}-g${Math.floor(random() * 2)}` : null,
            valueMinor: random() < 0.2 ? null : Math.floor(random() * 50_000),
            percentOff: Math.ceil(random() * 30),
          },
        );
      });
      const affinities: CategoryAffinity[] =
        random() < 0.3
          ? []
          : [
              { category: 'arts', share: 0.7 },
              { category: 'health', share: 0.3 },
            ];
      for (const tier of TIER_CODES) {
        for (const personalised of [true, false]) {
          expectConstraints(
            matchBenefitBundle(catalogue, tier, affinities, { personalised }),
            catalogue,
            tier,
          );
        }
      }
    }
  });
});
