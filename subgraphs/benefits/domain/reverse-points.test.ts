import { reconcileWallet } from './wallet-reconciliation.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2025-03-10T02:00:00Z'); // Monday 10:00 in Shanghai
const day = (n: number): Date => new Date(T0.getTime() + n * DAY_MS);

describe('applyReverse', () => {
  it('cancels the pending points of an order refunded within its pending period (balance 0, pending 0)', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    const outcome = w.reverse({
      key: 'mindspark:refund-1',
      points: 1_000,
      occurredAt: day(2),
      orderRef: 'o-1',
    });

    expect(outcome.ok && outcome.value.entries[0]).toMatchObject({
      kind: 'reverse',
      points: -1_000,
      allocations: [{ lotId: 'mindspark:buy-1', partner: 'mindspark', points: -1_000 }],
      unrecoveredPoints: 0,
    });
    expect(w.balance(day(2))).toMatchObject({
      available: 0,
      pending: 0,
      lifetimeEarned: 1_000,
      lifetimeReversed: 1_000,
    });
    expect(w.balance(day(30))).toMatchObject({ available: 0, pending: 0 });
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('takes a partial refund out of the order lot and leaves the rest pending', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    w.reverse({ key: 'mindspark:refund-1', points: 300, occurredAt: day(1), orderRef: 'o-1' });
    expect(w.balance(day(1))).toMatchObject({ available: 0, pending: 700 });
    expect(w.balance(day(7))).toMatchObject({ available: 700, pending: 0 });
  });

  it('takes only the refunded order’s points, not those of another order of the same partner', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:buy-1', points: 500, occurredAt: T0, orderRef: 'o-1' });
    w.earn({ key: 'mindspark:buy-2', points: 800, occurredAt: day(1), orderRef: 'o-2' });
    w.reverse({ key: 'mindspark:refund-2', points: 800, occurredAt: day(2), orderRef: 'o-2' });
    expect(w.state.lots.map((l) => [l.id, l.remaining])).toEqual([
      ['mindspark:buy-1', 500],
      ['mindspark:buy-2', 0],
    ]);
  });

  it('takes points already spent from the member’s other points, spendable oldest first', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:old', points: 200, occurredAt: day(-60), orderRef: 'o-0' });
    w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    w.earn({ key: 'mindspark:late', points: 300, occurredAt: day(20), orderRef: 'o-3' });
    // Day 10: o-1's points are spendable; spend 1,100 (200 of the old lot expire first, then 900 of o-1).
    w.redeem({ key: 'r-1', points: 1_100, occurredAt: day(10) });
    const outcome = w.reverse({
      key: 'mindspark:refund-1',
      points: 1_000,
      occurredAt: day(21),
      orderRef: 'o-1',
    });

    // 100 left in o-1's lot, then 300 from the only other lot (pending), and 600 could not be recovered.
    expect(outcome.ok && outcome.value.entries[0]).toMatchObject({
      points: -400,
      allocations: [
        { lotId: 'mindspark:buy-1', points: -100 },
        { lotId: 'mindspark:late', points: -300 },
      ],
      unrecoveredPoints: 600,
    });
    expect(w.balance(day(40))).toMatchObject({ available: 0, pending: 0 });
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('prefers the member’s spendable points to pending ones when the order’s points are gone', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:buy-1', points: 500, occurredAt: T0, orderRef: 'o-1' });
    w.earn({ key: 'inkwell:buy-9', partner: 'inkwell', points: 400, occurredAt: day(-30), orderRef: 'o-9' });
    w.redeem({ key: 'r-1', points: 500, occurredAt: day(8) }); // 400 from the inkwell lot, 100 from o-1
    w.earn({ key: 'inkwell:buy-10', partner: 'inkwell', points: 900, occurredAt: day(9), orderRef: 'o-10' });
    const outcome = w.reverse({
      key: 'mindspark:refund-1',
      points: 500,
      occurredAt: day(12),
      orderRef: 'o-1',
    });
    expect(outcome.ok && outcome.value.entries[0].allocations).toEqual([
      { lotId: 'mindspark:buy-1', partner: 'mindspark', points: -400 },
      { lotId: 'inkwell:buy-10', partner: 'inkwell', points: -100 },
    ]);
  });

  it('waits for an earning that has not arrived, then completes when it does', () => {
    const w = walletScenario();
    const early = w.reverse({ key: 'mindspark:refund-1', points: 400, occurredAt: day(1), orderRef: 'o-1' });
    expect(early.ok && early.value.entries[0]).toMatchObject({
      points: 0,
      awaitingPoints: 400,
      allocations: [],
    });
    expect(w.balance(day(1))).toMatchObject({ available: 0, pending: 0 });

    const earn = w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    expect(earn.ok && earn.value.entries.map((e) => [e.id, e.kind, e.points, e.reference])).toEqual([
      ['mindspark:buy-1', 'earn', 1_000, null],
      ['mindspark:refund-1:matched:mindspark:buy-1', 'reverse', -400, 'mindspark:refund-1'],
    ]);
    expect(earn.ok && earn.value.newLots[0]).toMatchObject({ points: 1_000, remaining: 600 });
    expect(w.balance(day(2))).toMatchObject({ available: 0, pending: 600, lifetimeReversed: 400 });
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('records a refund of an order whose points are all gone and nothing else is left, without going negative', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:buy-1', points: 300, occurredAt: T0, orderRef: 'o-1' });
    w.redeem({ key: 'r-1', points: 300, occurredAt: day(8) });
    const outcome = w.reverse({
      key: 'mindspark:refund-1',
      points: 300,
      occurredAt: day(9),
      orderRef: 'o-1',
    });
    expect(outcome.ok && outcome.value.entries[0]).toMatchObject({ points: 0, unrecoveredPoints: 300 });
    expect(w.balance(day(9)).available).toBe(0);
  });

  it('is idempotent by key and refuses the key reused for another refund', () => {
    const w = walletScenario();
    w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    w.reverse({ key: 'mindspark:refund-1', points: 300, occurredAt: day(1), orderRef: 'o-1' });
    expect(
      w.reverse({ key: 'mindspark:refund-1', points: 300, occurredAt: day(1), orderRef: 'o-1' }),
    ).toEqual({
      ok: true,
      value: { entries: [], newLots: [], replay: true },
    });
    const conflict = w.reverse({
      key: 'mindspark:refund-1',
      points: 500,
      occurredAt: day(1),
      orderRef: 'o-1',
    });
    expect(!conflict.ok && conflict.refusal.code).toBe('CONFLICT');
    expect(w.balance(day(8)).available).toBe(700);
  });
});
