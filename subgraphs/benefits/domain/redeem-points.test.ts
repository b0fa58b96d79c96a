import { reconcileWallet } from './wallet-reconciliation.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2025-01-10T02:00:00Z');
const day = (n: number): Date => new Date(T0.getTime() + n * DAY_MS);

describe('applyRedeem', () => {
  it('spends the lot that expires first, then the next (FIFO by expiry, then availability)', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 300, occurredAt: day(0) }); // expires end of Jan 2026
    w.earn({ key: 'b', points: 300, occurredAt: day(-40) }); // available 8 Dec 2024: expires end of Dec 2025
    w.earn({ key: 'c', points: 300, occurredAt: day(-3) }); // same expiry as a, available earlier
    const outcome = w.redeem({ key: 'r-1', points: 500, occurredAt: day(10) });
    expect(outcome.ok && outcome.value.entries[0]).toMatchObject({
      kind: 'redeem',
      points: -500,
      partner: 'inkwell',
      allocations: [
        { lotId: 'b', points: -300 },
        { lotId: 'c', points: -200 },
      ],
    });
    expect(w.balance(day(10))).toMatchObject({ available: 400, lifetimeRedeemed: 500 });
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('never spends pending points and refuses with what is missing and when pending points arrive', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 300, occurredAt: day(-10) });
    w.earn({ key: 'b', points: 500, occurredAt: day(0) }); // pending until day 7 (17 January)
    expect(w.redeem({ key: 'r-1', points: 700, occurredAt: day(1) })).toEqual({
      ok: false,
      refusal: {
        code: 'INSUFFICIENT_POINTS',
        message:
          'You need 700 points and have 300 points to spend: your pending points cover the rest from 2025-01-17.',
      },
    });
    expect(w.redeem({ key: 'r-2', points: 1_000, occurredAt: day(1) })).toMatchObject({
      ok: false,
      refusal: {
        message:
          'You need 1,000 points and have 300 points to spend: 500 points pending become spendable by 2025-01-17; earn 200 points more.',
      },
    });
    expect(w.state.entries.filter((e) => e.kind === 'redeem')).toEqual([]);
    expect(w.redeem({ key: 'r-3', points: 700, occurredAt: day(7) }).ok).toBe(true);
  });

  it('does not spend expired points even before the sweep has run', () => {
    const w = walletScenario();
    w.earn({ key: 'old', points: 300, occurredAt: new Date('2023-12-01T00:00:00Z') }); // expired end of Dec 2024
    const outcome = w.redeem({ key: 'r-1', points: 100, occurredAt: day(0) });
    expect(!outcome.ok && outcome.refusal.code).toBe('INSUFFICIENT_POINTS');
  });

  it('is idempotent by key', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 300, occurredAt: day(-10) });
    w.redeem({ key: 'r-1', points: 100, occurredAt: day(0) });
    expect(w.redeem({ key: 'r-1', points: 100, occurredAt: day(0) })).toMatchObject({
      ok: true,
      value: { replay: true },
    });
    expect(w.redeem({ key: 'r-1', points: 200, occurredAt: day(0) })).toMatchObject({
      ok: false,
      refusal: { code: 'CONFLICT' },
    });
    expect(w.balance(day(0)).available).toBe(200);
  });
});
