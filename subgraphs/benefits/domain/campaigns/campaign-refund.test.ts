import { campaignPointsReversed } from './campaign-refund.js';

const order = (refundedBeforeMinor: number, amountMinor: number) => ({
  orderAmountMinor: 10_000,
  refundedBeforeMinor,
  amountMinor,
});

describe('campaignPointsReversed', () => {
  it('takes the whole grant back on a full refund', () => {
    expect(campaignPointsReversed(100, order(0, 10_000))).toBe(100);
  });

  it('takes back the refunded share, rounded so the shares kept are whole', () => {
    // 100 points for 100 yuan; a refund of 33.33 yuan leaves 66.67 yuan, whose share is 66 points.
    expect(campaignPointsReversed(100, order(0, 3_333))).toBe(34);
    expect(campaignPointsReversed(7, order(0, 5_000))).toBe(4); // 7 − floor(3.5)
  });

  it('adds up over partial refunds to exactly what the kept amount keeps', () => {
    const granted = 137;
    const refunds = [1_234, 2_500, 1, 3_000, 3_265]; // 10,000 in all
    let before = 0;
    let total = 0;
    for (const amount of refunds) {
      total += campaignPointsReversed(granted, order(before, amount));
      before += amount;
    }
    expect(total).toBe(granted);
    expect(
      campaignPointsReversed(granted, order(0, 1_234)) + campaignPointsReversed(granted, order(1_234, 2_500)),
    ).toBe(granted - Math.floor((granted * (10_000 - 3_734)) / 10_000));
  });

  it('never takes more than the grant, whatever the refund claims', () => {
    expect(campaignPointsReversed(50, order(0, 50_000))).toBe(50);
    expect(campaignPointsReversed(50, order(20_000, 5_000))).toBe(0);
    expect(campaignPointsReversed(0, order(0, 10_000))).toBe(0);
    expect(campaignPointsReversed(50, { orderAmountMinor: 0, refundedBeforeMinor: 0, amountMinor: 10 })).toBe(
      0,
    );
  });

  it('is exact for amounts beyond double precision products', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(
      campaignPointsReversed(big, { orderAmountMinor: big, refundedBeforeMinor: 0, amountMinor: big }),
    ).toBe(big);
  });
});
