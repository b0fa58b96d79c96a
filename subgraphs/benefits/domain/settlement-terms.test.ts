import { SEED_PARTNER_SETTLEMENT, amountForPoints, partnerSettlementSchema } from './settlement-terms.js';

describe('settlement terms', () => {
  it('converts points at 1 fen a point with the seed rates', () => {
    expect(amountForPoints(12_345, SEED_PARTNER_SETTLEMENT.fundingRate)).toBe(12_345);
  });

  it('converts at a fractional rate exactly, a half fen to the even neighbour', () => {
    const rate = { minor: 1, points: 2 }; // half a fen a point
    expect(amountForPoints(3, rate)).toBe(2); // 1.5 → 2
    expect(amountForPoints(5, rate)).toBe(2); // 2.5 → 2
    expect(amountForPoints(-3, rate)).toBe(-2);
    expect(amountForPoints(500, { minor: 4, points: 5 })).toBe(400); // 0.8 fen a point
  });

  it('validates the registry keys', () => {
    expect(partnerSettlementSchema.parse(SEED_PARTNER_SETTLEMENT)).toEqual(SEED_PARTNER_SETTLEMENT);
  });

  it.each([
    [
      'a fractional amount of money',
      { fundingRate: { minor: 0.8, points: 1 }, reimbursementRate: { minor: 1, points: 1 } },
    ],
    [
      'a rate of zero points',
      { fundingRate: { minor: 1, points: 0 }, reimbursementRate: { minor: 1, points: 1 } },
    ],
    ['no reimbursement rate', { fundingRate: { minor: 1, points: 1 } }],
  ])('refuses registry keys with %s', (_case, keys) => {
    expect(partnerSettlementSchema.safeParse(keys).success).toBe(false);
  });
});
