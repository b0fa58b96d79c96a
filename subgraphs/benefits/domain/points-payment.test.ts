import fc from 'fast-check';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { CheckoutTerms } from './checkout-terms.js';
import { SEED_CHECKOUT_RULES, checkoutTermsFor } from './checkout-terms.js';
import type { PointsLot } from './points-lot.js';
import {
  planPointsPayment,
  planPointsRefund,
  pointsAmountProblem,
  quotePointsPayment,
} from './points-payment.js';
import type { WalletState } from './wallet-entry.js';
import { applyWalletChange } from './wallet-entry.js';
import { reconcileWallet } from './wallet-reconciliation.js';

const calendar = createProgrammeCalendar();
const NOW = new Date('2025-07-16T04:00:00Z');
const inkwell = checkoutTermsFor('inkwell', SEED_CHECKOUT_RULES);

const lot = (id: string, points: number, expiresAt = '2026-01-31T16:00:00Z'): PointsLot => ({
  id,
  memberId: 'M000001',
  partner: 'mindspark',
  origin: 'earn',
  orderRef: `o-${id}`,
  sourceEventId: id,
  points,
  remaining: points,
  earnedAt: new Date('2025-01-01T00:00:00Z'),
  availableAt: new Date('2025-01-08T00:00:00Z'),
  expiresAt: new Date(expiresAt),
});

/** A wallet whose lots came from earn entries, so it reconciles. */
function wallet(...lots: PointsLot[]): WalletState {
  return {
    lots,
    entries: lots.map((l) => ({
      id: l.id,
      memberId: l.memberId,
      kind: 'earn' as const,
      points: l.points,
      partner: l.partner,
      occurredAt: l.earnedAt,
      orderRef: l.orderRef,
      reference: null,
      allocations: [{ lotId: l.id, partner: l.partner, points: l.points }],
      awaitingPoints: 0,
      unrecoveredPoints: 0,
      payment: null,
      refund: null,
      fingerprint: l.id,
    })),
  };
}

describe('quotePointsPayment', () => {
  it("applies a running campaign's discount instead of a smaller tier discount, and says so", () => {
    const offers = [{ campaignId: 'cmp-1', name: 'Member day', percent: 15, priority: 0 }];
    expect(quotePointsPayment([lot('a', 50_000)], NOW, 10_000, 'GOLD', inkwell, offers)).toMatchObject({
      tierDiscountBasisPoints: 500,
      discountBasisPoints: 1_500,
      discountSource: 'CAMPAIGN',
      discountCampaignId: 'cmp-1',
      discountReason: 'Campaign "Member day": 15 % off at inkwell',
      discountMinor: 1_500,
      payableMinor: 8_500,
      maxPoints: 8_500,
    });
  });

  it('applies the Diamond discount, then lets points pay up to the balance at 100 points per yuan', () => {
    expect(quotePointsPayment([lot('a', 5_000)], NOW, 10_010, 'DIAMOND', inkwell)).toEqual({
      partner: 'inkwell',
      orderAmountMinor: 10_010,
      tierDiscountBasisPoints: 1_000,
      discountBasisPoints: 1_000,
      discountSource: 'TIER',
      discountCampaignId: null,
      discountReason: 'DIAMOND tier: 10 % off at inkwell',
      discountMinor: 1_001,
      payableMinor: 9_009,
      availablePoints: 5_000,
      maxPoints: 5_000,
      maxPointsValueMinor: 5_000,
      cashAfterMaxPointsMinor: 4_009,
      pointsPerMinorUnit: 1,
    });
  });

  it('rounds a half-fen discount in the member’s favour (Gold 5 % of ¥10.10 = 50.5 fen → 51)', () => {
    const quote = quotePointsPayment([], NOW, 1_010, 'GOLD', inkwell);
    expect([quote.discountMinor, quote.payableMinor, quote.maxPoints]).toEqual([51, 959, 0]);
    expect(quotePointsPayment([], NOW, 1_010, 'CLASSIC', inkwell).discountMinor).toBe(0);
  });

  it('lets points pay the whole order at most, and a partner’s share cap, floored to a fen', () => {
    expect(quotePointsPayment([lot('a', 50_000)], NOW, 9_000, 'BASIC', inkwell).maxPoints).toBe(9_000);
    const half = checkoutTermsFor('starlight', SEED_CHECKOUT_RULES, { maxPointsShareBasisPoints: 5_000 });
    // Diamond: 9,009 payable, half is 4,504.5 fen: points pay at most 4,504.
    expect(quotePointsPayment([lot('a', 50_000)], NOW, 10_010, 'DIAMOND', half)).toMatchObject({
      maxPoints: 4_504,
      cashAfterMaxPointsMinor: 4_505,
    });
  });

  it('uses whole fen of points when a fen costs several points', () => {
    const dear: CheckoutTerms = { ...inkwell, pointsPerMinorUnit: 2 }; // 200 points = ¥1
    expect(quotePointsPayment([lot('a', 5_001)], NOW, 10_000, 'BASIC', dear)).toMatchObject({
      maxPoints: 5_000,
      maxPointsValueMinor: 2_500,
      cashAfterMaxPointsMinor: 7_500,
    });
  });

  it('offers nothing at a partner that takes no points, but still the discount', () => {
    const none = checkoutTermsFor('pulsefit', SEED_CHECKOUT_RULES, { acceptsPoints: false });
    expect(quotePointsPayment([lot('a', 5_000)], NOW, 10_000, 'GOLD', none)).toMatchObject({
      maxPoints: 0,
      discountMinor: 500,
    });
  });
});

describe('planPointsPayment', () => {
  const request = {
    key: 'pay-1',
    memberId: 'M000001',
    orderRef: 'IW-7',
    orderAmountMinor: 10_000,
    tier: 'GOLD' as const,
    occurredAt: NOW,
  };

  it('spends the points oldest first as a redeem entry honoured by the partner, with what a refund needs', () => {
    const outcome = planPointsPayment(
      wallet(lot('a', 1_000, '2026-03-31T16:00:00Z'), lot('b', 2_000)),
      { ...request, points: 2_500 },
      inkwell,
      calendar,
    );
    expect(outcome.ok && outcome.value.payment).toEqual({
      points: 2_500,
      valueMinor: 2_500,
      discountMinor: 500,
      cashMinor: 7_000,
    });
    expect(outcome.ok && outcome.value.change.entries[0]).toMatchObject({
      kind: 'redeem',
      points: -2_500,
      partner: 'inkwell',
      orderRef: 'IW-7',
      allocations: [
        { lotId: 'b', points: -2_000 },
        { lotId: 'a', points: -500 },
      ],
      payment: { payableMinor: 9_500, pointsPerMinorUnit: 1 },
    });
  });

  it('refuses more points than the share allows, than the member has, or at a partner that takes none', () => {
    const half = checkoutTermsFor('starlight', SEED_CHECKOUT_RULES, { maxPointsShareBasisPoints: 5_000 });
    expect(planPointsPayment(wallet(lot('a', 9_000)), { ...request, points: 5_000 }, half, calendar)).toEqual(
      {
        ok: false,
        refusal: {
          code: 'LIMIT_REACHED',
          message: 'At most 4,750 points (¥47.50) can pay for this order at starlight; use fewer points.',
        },
      },
    );
    expect(
      planPointsPayment(wallet(lot('a', 900)), { ...request, points: 1_000 }, inkwell, calendar),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'INSUFFICIENT_POINTS' },
    });
    const none = checkoutTermsFor('pulsefit', SEED_CHECKOUT_RULES, { acceptsPoints: false });
    expect(
      planPointsPayment(wallet(lot('a', 900)), { ...request, points: 100 }, none, calendar),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'NOT_ELIGIBLE', message: 'pulsefit does not take points at checkout.' },
    });
  });

  it('answers a retry from the ledger even when the balance has gone since', () => {
    const first = planPointsPayment(
      wallet(lot('a', 1_000)),
      { ...request, points: 1_000 },
      inkwell,
      calendar,
    );
    if (!first.ok) throw new Error('payment refused');
    const after = applyWalletChange(wallet(lot('a', 1_000)), first.value.change);
    expect(planPointsPayment(after, { ...request, points: 1_000 }, inkwell, calendar)).toMatchObject({
      ok: true,
      value: { change: { replay: true }, payment: { points: 1_000 } },
    });
    expect(planPointsPayment(after, { ...request, points: 900 }, inkwell, calendar)).toMatchObject({
      ok: false,
      refusal: { code: 'CONFLICT' },
    });
  });

  it('names a points amount that cannot pay', () => {
    const dear: CheckoutTerms = { ...inkwell, pointsPerMinorUnit: 2 };
    expect(pointsAmountProblem(3, dear)).toBe('points must be a multiple of 2 (that many points make 1 fen)');
    expect(pointsAmountProblem(0, inkwell)).toBe('points must be a whole number of at least 1');
    expect(pointsAmountProblem(4, dear)).toBeNull();
    expect(() => planPointsPayment(wallet(), { ...request, points: 3 }, dear, calendar)).toThrow(
      'multiple of 2',
    );
  });
});

describe('planPointsRefund', () => {
  function paid(points: number, orderAmountMinor: number, terms = inkwell) {
    const request = {
      key: 'pay-1',
      memberId: 'M000001',
      orderRef: 'IW-7',
      orderAmountMinor,
      tier: 'BASIC' as const,
      points,
      occurredAt: NOW,
    };
    let state = wallet(lot('a', points, '2026-03-31T16:00:00Z'));
    const outcome = planPointsPayment(state, request, terms, calendar);
    if (!outcome.ok) throw new Error(outcome.refusal.message);
    state = applyWalletChange(state, outcome.value.change);
    return {
      get state() {
        return state;
      },
      refund(key: string, refundMinor: number) {
        const r = planPointsRefund(state, { key, paymentKey: 'pay-1', refundMinor, occurredAt: NOW });
        if (r.ok) state = applyWalletChange(state, r.value.change);
        return r;
      },
    };
  }

  it('splits a partial refund in the proportion paid, and the rest so the totals are exact', () => {
    const p = paid(3_000, 9_000); // a third in points
    expect(p.refund('ref-1', 1_000)).toMatchObject({
      ok: true,
      value: { pointsBack: 333, cashBackMinor: 667 },
    });
    expect(p.refund('ref-2', 8_000)).toMatchObject({
      ok: true,
      value: { pointsBack: 2_667, cashBackMinor: 5_333 },
    });
    expect(
      p.state.lots.filter((l) => l.origin === 'return').map((l) => [l.remaining, l.expiresAt?.toISOString()]),
    ).toEqual([
      [333, '2026-03-31T16:00:00.000Z'],
      [2_667, '2026-03-31T16:00:00.000Z'],
    ]);
    expect(reconcileWallet(p.state)).toEqual([]);
  });

  it('records a refund too small to give points back, so the next one still splits exactly', () => {
    const p = paid(100, 9_000);
    expect(p.refund('ref-1', 50)).toMatchObject({ ok: true, value: { pointsBack: 0, cashBackMinor: 50 } });
    expect(p.refund('ref-2', 8_950)).toMatchObject({
      ok: true,
      value: { pointsBack: 100, cashBackMinor: 8_850 },
    });
  });

  it('refuses to refund more than was paid, answers a retry as before, and knows no unknown payment', () => {
    const p = paid(3_000, 9_000);
    p.refund('ref-1', 1_000);
    expect(p.refund('ref-2', 8_001)).toEqual({
      ok: false,
      refusal: { code: 'CONFLICT', message: 'Only ¥80.00 of order IW-7 is left to refund.' },
    });
    p.refund('ref-3', 8_000);
    expect(p.refund('ref-1', 1_000)).toMatchObject({
      ok: true,
      value: { change: { replay: true }, pointsBack: 333 },
    });
    expect(p.refund('ref-1', 999)).toMatchObject({ ok: false, refusal: { code: 'CONFLICT' } });
    expect(
      planPointsRefund(p.state, { key: 'x', paymentKey: 'nope', refundMinor: 1, occurredAt: NOW }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'NOT_FOUND' },
    });
  });

  it('always gives back exactly what was paid, never a negative part (fast-check, seeded)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 400_000 }), { minLength: 1, maxLength: 12 }),
        (orderAmountMinor, k, share, cuts) => {
          const terms: CheckoutTerms = { ...inkwell, pointsPerMinorUnit: k };
          const valueMinor = Math.max(1, Math.floor(orderAmountMinor * share));
          const p = paid(valueMinor * k, orderAmountMinor, terms);
          let refunded = 0;
          let pointsBack = 0;
          let cashBack = 0;
          cuts.forEach((cut, i) => {
            const amount = Math.min(cut, orderAmountMinor - refunded);
            if (amount === 0) return;
            const r = p.refund(`ref-${i}`, amount);
            if (!r.ok) throw new Error(r.refusal.message);
            expect(r.value.pointsBack).toBeGreaterThanOrEqual(0);
            expect(r.value.cashBackMinor).toBeGreaterThanOrEqual(0);
            expect(r.value.pointsBack % k).toBe(0);
            expect(r.value.pointsBack / k + r.value.cashBackMinor).toBe(amount);
            refunded += amount;
            pointsBack += r.value.pointsBack;
            cashBack += r.value.cashBackMinor;
          });
          const rest = orderAmountMinor - refunded;
          if (rest > 0) {
            const r = p.refund('ref-last', rest);
            if (!r.ok) throw new Error(r.refusal.message);
            pointsBack += r.value.pointsBack;
            cashBack += r.value.cashBackMinor;
          }
          expect(pointsBack).toBe(valueMinor * k);
          expect(cashBack).toBe(orderAmountMinor - valueMinor);
          expect(reconcileWallet(p.state)).toEqual([]);
        },
      ),
      { seed: 20_250_716, numRuns: 200 },
    );
  });
});
