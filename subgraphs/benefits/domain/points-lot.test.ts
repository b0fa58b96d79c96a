import type { PointsLot } from './points-lot.js';
import {
  availablePoints,
  consumptionOrder,
  isAvailable,
  isExpired,
  isPending,
  spendableLots,
  takeFromLots,
} from './points-lot.js';

const lot = (id: string, fields: Partial<PointsLot>): PointsLot => ({
  id,
  memberId: 'M000001',
  partner: 'mindspark',
  origin: 'earn',
  orderRef: null,
  sourceEventId: id,
  points: 100,
  remaining: 100,
  earnedAt: new Date('2025-01-01T00:00:00Z'),
  availableAt: new Date('2025-01-08T00:00:00Z'),
  expiresAt: new Date('2026-01-31T16:00:00Z'),
  ...fields,
});

describe('lot states', () => {
  const l = lot('a', {});
  it('is pending before availability, available from it, expired from its expiry (exclusive)', () => {
    expect(isPending(l, new Date('2025-01-07T23:59:59.999Z'))).toBe(true);
    expect(isAvailable(l, new Date('2025-01-08T00:00:00Z'))).toBe(true);
    expect(isAvailable(l, new Date('2026-01-31T15:59:59.999Z'))).toBe(true);
    expect(isExpired(l, new Date('2026-01-31T16:00:00Z'))).toBe(true);
    expect(isAvailable(l, new Date('2026-01-31T16:00:00Z'))).toBe(false);
  });

  it('never expires without an expiry', () => {
    expect(isExpired(lot('n', { expiresAt: null }), new Date('2999-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('consumption order', () => {
  it('puts the earliest expiry first, then the earliest availability, then the earliest earning, then the id', () => {
    const lots = [
      lot('never', { expiresAt: null }),
      lot('late-expiry', { expiresAt: new Date('2026-02-28T16:00:00Z') }),
      lot('b', {}),
      lot('a', {}),
      lot('earned-earlier', { earnedAt: new Date('2024-12-31T00:00:00Z') }),
      lot('available-earlier', { availableAt: new Date('2025-01-02T00:00:00Z') }),
    ];
    expect([...lots].sort(consumptionOrder).map((x) => x.id)).toEqual([
      'available-earlier',
      'earned-earlier',
      'a',
      'b',
      'late-expiry',
      'never',
    ]);
  });
});

describe('takeFromLots and spendable points', () => {
  it('takes in the order given, skipping empty and debt lots, and reports the shortfall', () => {
    const lots = [
      lot('a', { remaining: 30 }),
      lot('debt', { remaining: -50, origin: 'debt' }),
      lot('b', { remaining: 0 }),
      lot('c', {}),
    ];
    expect(takeFromLots(lots, 80)).toEqual({
      allocations: [
        { lotId: 'a', partner: 'mindspark', points: -30 },
        { lotId: 'c', partner: 'mindspark', points: -50 },
      ],
      shortfall: 0,
    });
    expect(takeFromLots(lots, 200).shortfall).toBe(70);
  });

  it('counts debt lots in the spendable balance but never spends from them', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const lots = [
      lot('a', {}),
      lot('debt', { remaining: -40, points: -40, origin: 'debt', expiresAt: null }),
      lot('pending', { availableAt: new Date('2025-06-05T00:00:00Z') }),
    ];
    expect(availablePoints(lots, now)).toBe(60);
    expect(spendableLots(lots, now).map((x) => x.id)).toEqual(['a']);
  });
});
