import { reconcileWallet } from './wallet-reconciliation.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2025-03-10T02:00:00Z');
const day = (n: number): Date => new Date(T0.getTime() + n * DAY_MS);

describe('applyAdjust', () => {
  it('credits a spendable lot funded as the operator says, expiring by the policy', () => {
    const w = walletScenario();
    const outcome = w.adjust({ key: 'adj-1', points: 250, occurredAt: T0, fundedBy: 'starlight' });
    expect(outcome.ok && outcome.value.newLots[0]).toMatchObject({
      id: 'adj-1',
      origin: 'adjust',
      partner: 'starlight',
      remaining: 250,
      availableAt: T0,
      expiresAt: new Date('2026-03-31T16:00:00Z'),
    });
    expect(w.balance(T0)).toMatchObject({ available: 250, lifetimeAdjusted: 250 });
  });

  it('debits spendable points oldest first and refuses more than the spendable balance', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 300, occurredAt: day(-20) });
    w.earn({ key: 'b', points: 900, occurredAt: day(0) }); // pending
    expect(w.adjust({ key: 'adj-1', points: -400, occurredAt: day(1) })).toMatchObject({
      ok: false,
      refusal: { code: 'INSUFFICIENT_POINTS' },
    });
    const ok = w.adjust({ key: 'adj-2', points: -100, occurredAt: day(1) });
    expect(ok.ok && ok.value.entries[0].allocations).toEqual([
      { lotId: 'a', partner: 'mindspark', points: -100 },
    ]);
    expect(w.balance(day(1))).toMatchObject({ available: 200, pending: 900 });
  });

  it('goes below zero only when the operator allows it, as a debt lot a later credit pays off', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 300, occurredAt: day(-20) });
    const debit = w.adjust({ key: 'adj-1', points: -500, occurredAt: day(1), allowNegativeBalance: true });
    expect(debit.ok && debit.value.newLots).toEqual([
      expect.objectContaining({
        id: 'adj-1',
        origin: 'debt',
        points: -200,
        remaining: -200,
        expiresAt: null,
      }),
    ]);
    expect(w.balance(day(1)).available).toBe(-200);
    expect(w.redeem({ key: 'r', points: 1, occurredAt: day(1) })).toMatchObject({ ok: false });

    const credit = w.adjust({ key: 'adj-2', points: 350, occurredAt: day(2) });
    expect(credit.ok && credit.value.entries[0].allocations).toEqual([
      { lotId: 'adj-1', partner: 'programme', points: 200 },
      { lotId: 'adj-2', partner: 'programme', points: 150 },
    ]);
    expect(w.balance(day(2)).available).toBe(150);
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('refuses an adjustment of zero points as a programming error', () => {
    const w = walletScenario();
    expect(() => w.adjust({ key: 'adj-0', points: 0, occurredAt: T0 })).toThrow('must not be 0');
  });
});
