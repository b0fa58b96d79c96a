import { loadPartnerRegistry } from '../../shared/config/partner-registry.js';
import { partnerRegistryPath } from '../../shared/config/paths.js';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { pointsPerUnitFor, redemptionSeedSchema, resolveRedemptionTerms } from './redemption-terms.js';

const calendar = createProgrammeCalendar();

describe('redemptionSeedSchema', () => {
  it('accepts the full set of keys', () => {
    const seed = {
      pointsCost: 4000,
      pointsCostByTier: { DIAMOND: 0 },
      stock: { total: 500, perPeriod: { limit: 50, period: 'MONTH' } },
      perMemberLimit: { count: 1, period: 'MONTH' },
      validFrom: '2025-07-01',
      validUntil: '2025-12-31',
      voucherValidDays: 30,
      honouredBy: 'mindspark',
      fundedBy: 'mindspark',
    };
    expect(redemptionSeedSchema.parse(seed)).toEqual(seed);
  });

  it('rejects unknown tiers and periods, fractional costs, bad dates and an inverted window', () => {
    const bad = [
      { pointsCostByTier: { PLATINUM: 0 } },
      { perMemberLimit: { count: 1, period: 'FORTNIGHT' } },
      { pointsCost: 10.5 },
      { validFrom: '2025-7-1' },
      { validFrom: '2025-12-31', validUntil: '2025-07-01' },
      { stock: { total: 5, extra: 1 } },
    ];
    for (const seed of bad) expect(redemptionSeedSchema.safeParse(seed).success).toBe(false);
  });
});

describe('resolveRedemptionTerms', () => {
  it('prices every seeded benefit of the registry from its costMinor at 100 points per yuan', () => {
    const registry = loadPartnerRegistry(partnerRegistryPath());
    const mindspark = registry.byKey.get('mindspark')!;
    const masterclass = mindspark.benefits.find((b) => b.code === 'MS-MASTERCLASS')!;
    const terms = resolveRedemptionTerms(masterclass, 'mindspark', 1, calendar);
    expect(terms).toMatchObject({
      code: 'MS-MASTERCLASS',
      pointsCost: 4_000,
      honouredBy: 'mindspark',
      fundedBy: 'mindspark',
      stockTotal: null,
      stockPerPeriod: null,
      perMemberLimit: null,
      validFrom: null,
      validUntil: null,
      voucherValidDays: 30,
    });
    const diamondDiscount = mindspark.benefits.find((b) => b.code === 'MS-DIAMOND-10')!;
    expect(resolveRedemptionTerms(diamondDiscount, 'mindspark', 1, calendar).pointsCost).toBe(0);
  });

  it('turns the local-day window into instants: from local midnight to the midnight after the last day', () => {
    const terms = resolveRedemptionTerms(
      {
        code: 'X-1',
        title: 'Cinema night',
        eligibleTiers: ['GOLD', 'DIAMOND'],
        costMinor: 2_000,
        redemption: {
          validFrom: '2025-07-01',
          validUntil: '2025-07-31',
          pointsCostByTier: { DIAMOND: 0 },
          fundedBy: 'starlight',
        },
      },
      'starlight',
      2,
      calendar,
    );
    expect(terms.validFrom).toEqual(new Date('2025-06-30T16:00:00Z'));
    expect(terms.validUntil).toEqual(new Date('2025-07-31T16:00:00Z'));
    expect(terms.pointsCost).toBe(4_000); // 2,000 fen at 2 points per fen
    expect(pointsPerUnitFor(terms, 'DIAMOND')).toBe(0);
    expect(pointsPerUnitFor(terms, 'GOLD')).toBe(4_000);
  });
});
