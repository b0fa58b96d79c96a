import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { PointsLot } from './points-lot.js';
import type { PastRedemption, RedemptionRequest } from './redemption-decision.js';
import { decideRedemption } from './redemption-decision.js';
import type { RedemptionTerms } from './redemption-terms.js';

const calendar = createProgrammeCalendar();
const NOW = new Date('2025-07-16T04:00:00Z'); // Wednesday 16 July 2025, 12:00 Shanghai

const terms = (fields: Partial<RedemptionTerms> = {}): RedemptionTerms => ({
  code: 'MS-MASTERCLASS',
  title: 'Member-only business masterclass',
  honouredBy: 'mindspark',
  fundedBy: 'mindspark',
  eligibleTiers: ['GOLD', 'DIAMOND'],
  pointsCost: 4_000,
  pointsCostByTier: {},
  stockTotal: null,
  stockPerPeriod: null,
  perMemberLimit: null,
  validFrom: null,
  validUntil: null,
  voucherValidDays: 30,
  ...fields,
});

const lot = (id: string, remaining: number, fields: Partial<PointsLot> = {}): PointsLot => ({
  id,
  memberId: 'M000001',
  partner: 'inkwell',
  origin: 'earn',
  orderRef: null,
  sourceEventId: id,
  points: remaining,
  remaining,
  earnedAt: new Date('2025-01-01T00:00:00Z'),
  availableAt: new Date('2025-01-08T00:00:00Z'),
  expiresAt: new Date('2026-01-31T16:00:00Z'),
  ...fields,
});

const request = (fields: Partial<RedemptionRequest> = {}): RedemptionRequest => ({
  terms: terms(),
  tier: 'GOLD',
  lots: [lot('late', 3_000, { expiresAt: new Date('2026-03-31T16:00:00Z') }), lot('early', 2_000)],
  pastRedemptions: [],
  stockUsage: { total: 0, byPeriod: {} },
  quantity: 1,
  now: NOW,
  ...fields,
});

const past = (
  redeemedAt: string,
  status: PastRedemption['status'] = 'CONFIRMED',
  quantity = 1,
): PastRedemption => ({
  benefitCode: 'MS-MASTERCLASS',
  quantity,
  redeemedAt: new Date(redeemedAt),
  status,
});

describe('decideRedemption: a plan', () => {
  it('takes the points oldest first, reserves stock and sets the voucher to expire after 30 local days', () => {
    const outcome = decideRedemption(
      request({
        terms: terms({
          stockTotal: 100,
          stockPerPeriod: { limit: 10, period: 'MONTH' },
          perMemberLimit: { count: 2, period: 'MONTH' },
        }),
      }),
      calendar,
    );
    expect(outcome).toEqual({
      ok: true,
      value: {
        benefitCode: 'MS-MASTERCLASS',
        quantity: 1,
        pointsPerUnit: 4_000,
        points: 4_000,
        allocations: [
          { lotId: 'early', partner: 'inkwell', points: -2_000 },
          { lotId: 'late', partner: 'inkwell', points: -2_000 },
        ],
        stock: { quantity: 1, totalLimit: 100, periodKey: 'M2025-07', periodLimit: 10 },
        memberLimit: { periodKey: 'M2025-07', limit: 2 },
        voucherExpiresAt: new Date('2025-08-14T16:00:00Z'), // valid 16 July to 14 August inclusive
        honouredBy: 'mindspark',
        fundedBy: 'mindspark',
      },
    });
  });

  it('is free for a tier priced at 0, without touching points', () => {
    const outcome = decideRedemption(
      request({ tier: 'DIAMOND', lots: [], terms: terms({ pointsCostByTier: { DIAMOND: 0 } }) }),
      calendar,
    );
    expect(outcome.ok && [outcome.value.points, outcome.value.allocations]).toEqual([0, []]);
  });

  it('multiplies the price by the quantity', () => {
    const outcome = decideRedemption(request({ quantity: 1, terms: terms({ pointsCost: 2_500 }) }), calendar);
    expect(outcome.ok && outcome.value.points).toBe(2_500);
    const two = decideRedemption(request({ quantity: 2, terms: terms({ pointsCost: 2_500 }) }), calendar);
    expect(two.ok && two.value.points).toBe(5_000);
  });
});

describe('decideRedemption: refusals a member can act on', () => {
  it('NOT_ELIGIBLE for a tier outside the list, naming the tier to reach', () => {
    expect(decideRedemption(request({ tier: 'CLASSIC' }), calendar)).toEqual({
      ok: false,
      refusal: {
        code: 'NOT_ELIGIBLE',
        message:
          'Member-only business masterclass is for Gold and Diamond members and you are Classic; reach Gold to redeem it.',
      },
    });
  });

  it('NOT_ELIGIBLE before and after the validity window, with local dates', () => {
    const window = {
      validFrom: new Date('2025-07-31T16:00:00Z'),
      validUntil: new Date('2025-08-31T16:00:00Z'),
    };
    expect(decideRedemption(request({ terms: terms(window) }), calendar)).toMatchObject({
      refusal: {
        code: 'NOT_ELIGIBLE',
        message: 'Member-only business masterclass can be redeemed from 2025-08-01.',
      },
    });
    expect(
      decideRedemption(request({ terms: terms(window), now: new Date('2025-08-31T16:00:00Z') }), calendar),
    ).toMatchObject({
      refusal: {
        code: 'NOT_ELIGIBLE',
        message:
          'Member-only business masterclass could be redeemed until 2025-08-31 and is no longer offered.',
      },
    });
    expect(
      decideRedemption(request({ terms: terms(window), now: new Date('2025-08-31T15:59:59Z') }), calendar).ok,
    ).toBe(true);
  });

  it('LIMIT_REACHED per month counts reserved and confirmed redemptions of this month only', () => {
    const limited = terms({ perMemberLimit: { count: 1, period: 'MONTH' } });
    const history = [past('2025-06-30T15:00:00Z'), past('2025-07-02T00:00:00Z', 'CANCELLED')];
    expect(decideRedemption(request({ terms: limited, pastRedemptions: history }), calendar).ok).toBe(true);
    expect(
      decideRedemption(
        request({ terms: limited, pastRedemptions: [...history, past('2025-06-30T16:00:00Z', 'RESERVED')] }),
        calendar,
      ),
    ).toEqual({
      ok: false,
      refusal: {
        code: 'LIMIT_REACHED',
        message:
          'You can redeem Member-only business masterclass at most once a month and have reached that. You can redeem it again from 2025-08-01.',
      },
    });
  });

  it('LIMIT_REACHED for a lifetime limit, and how many more can be asked for', () => {
    const limited = terms({ perMemberLimit: { count: 3, period: 'LIFETIME' } });
    expect(
      decideRedemption(
        request({
          terms: limited,
          quantity: 2,
          pastRedemptions: [past('2024-01-01T00:00:00Z', 'CONFIRMED', 2)],
        }),
        calendar,
      ),
    ).toMatchObject({
      refusal: {
        code: 'LIMIT_REACHED',
        message:
          'You can redeem Member-only business masterclass at most 3 times in all; ask for 1 or fewer.',
      },
    });
  });

  it('OUT_OF_STOCK in all, or for this period with the day new stock arrives', () => {
    expect(
      decideRedemption(
        request({ terms: terms({ stockTotal: 50 }), stockUsage: { total: 50, byPeriod: {} } }),
        calendar,
      ),
    ).toMatchObject({
      refusal: { code: 'OUT_OF_STOCK', message: 'Member-only business masterclass is sold out.' },
    });
    expect(
      decideRedemption(
        request({ quantity: 2, terms: terms({ stockTotal: 50 }), stockUsage: { total: 49, byPeriod: {} } }),
        calendar,
      ),
    ).toMatchObject({
      refusal: { message: 'Only 1 of Member-only business masterclass is left; ask for 1 or fewer.' },
    });
    const weekly = terms({ stockPerPeriod: { limit: 5, period: 'WEEK' } });
    expect(
      decideRedemption(
        request({ terms: weekly, stockUsage: { total: 90, byPeriod: { 'W2025-07-14': 5 } } }),
        calendar,
      ),
    ).toMatchObject({
      refusal: {
        code: 'OUT_OF_STOCK',
        message:
          'Member-only business masterclass is out of stock this week; new stock arrives on 2025-07-21.',
      },
    });
    expect(
      decideRedemption(
        request({ terms: weekly, stockUsage: { total: 90, byPeriod: { 'W2025-07-07': 5 } } }),
        calendar,
      ).ok,
    ).toBe(true);
  });

  it('INSUFFICIENT_POINTS with the price and what is missing', () => {
    expect(decideRedemption(request({ lots: [lot('a', 1_200)] }), calendar)).toEqual({
      ok: false,
      refusal: {
        code: 'INSUFFICIENT_POINTS',
        message:
          'Member-only business masterclass costs 4,000 points and you have 1,200 points to spend: earn 2,800 points more.',
      },
    });
  });

  it('checks in the order eligibility, limit, stock, points', () => {
    const everythingWrong = request({
      tier: 'BASIC',
      lots: [],
      terms: terms({ stockTotal: 0, perMemberLimit: { count: 1, period: 'LIFETIME' } }),
      pastRedemptions: [past('2024-01-01T00:00:00Z')],
    });
    const codes = [
      decideRedemption(everythingWrong, calendar),
      decideRedemption({ ...everythingWrong, tier: 'GOLD' }, calendar),
      decideRedemption({ ...everythingWrong, tier: 'GOLD', pastRedemptions: [] }, calendar),
      decideRedemption({ ...everythingWrong, tier: 'GOLD', pastRedemptions: [], terms: terms() }, calendar),
    ].map((o) => !o.ok && o.refusal.code);
    expect(codes).toEqual(['NOT_ELIGIBLE', 'LIMIT_REACHED', 'OUT_OF_STOCK', 'INSUFFICIENT_POINTS']);
  });

  it('throws on a quantity that is not a positive whole number (the resolver validates it first)', () => {
    expect(() => decideRedemption(request({ quantity: 0 }), calendar)).toThrow('quantity must be at least 1');
  });
});
