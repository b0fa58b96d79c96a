import { applyEarn, awaitingReversals } from './earn-points.js';
import { reconcileWallet } from './wallet-reconciliation.js';
import { DAY_MS, MEMBER, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2024-06-26T10:00:00Z');

describe('applyEarn', () => {
  it('creates a lot named by the key, pending for 7 days, expiring at the end of the month 12 months later', () => {
    const w = walletScenario();
    const outcome = w.earn({
      key: 'pulsefit:e-1',
      partner: 'pulsefit',
      points: 150,
      occurredAt: T0,
      orderRef: 'o-1',
    });
    expect(outcome.ok && outcome.value.newLots).toEqual([
      {
        id: 'pulsefit:e-1',
        memberId: MEMBER,
        partner: 'pulsefit',
        origin: 'earn',
        orderRef: 'o-1',
        sourceEventId: 'pulsefit:e-1',
        points: 150,
        remaining: 150,
        earnedAt: T0,
        availableAt: new Date(T0.getTime() + 7 * DAY_MS), // 3 July 2024
        expiresAt: new Date('2025-07-31T16:00:00Z'), // end of July 2025, Shanghai
      },
    ]);
    expect(outcome.ok && outcome.value.entries[0]).toMatchObject({
      kind: 'earn',
      points: 150,
      partner: 'pulsefit',
      allocations: [{ lotId: 'pulsefit:e-1', partner: 'pulsefit', points: 150 }],
    });
    expect(w.balance(T0)).toMatchObject({ available: 0, pending: 150, lifetimeEarned: 150 });
    expect(w.balance(new Date(T0.getTime() + 7 * DAY_MS))).toMatchObject({ available: 150, pending: 0 });
  });

  it('adds nothing for a redelivered event and refuses the key with other content', () => {
    const w = walletScenario();
    w.earn({ key: 'pulsefit:e-1', points: 150, occurredAt: T0 });
    const again = w.earn({ key: 'pulsefit:e-1', points: 150, occurredAt: T0 });
    expect(again.ok && again.value.replay).toBe(true);
    const other = w.earn({ key: 'pulsefit:e-1', points: 151, occurredAt: T0 });
    expect(other).toEqual({
      ok: false,
      refusal: {
        code: 'CONFLICT',
        message: 'Request pulsefit:e-1 was already made with different content; use a new key.',
      },
    });
    expect(w.state.lots).toHaveLength(1);
  });

  it('refuses zero, negative and fractional points as a programming error', () => {
    const state = { lots: [], entries: [] };
    const request = {
      key: 'k',
      memberId: MEMBER,
      partner: 'mindspark',
      occurredAt: T0,
      availableAt: T0,
      orderRef: null,
      sourceEventId: 'e',
    };
    for (const points of [0, -5, 1.5]) {
      expect(() => applyEarn(state, { ...request, points }, () => null)).toThrow('points must be');
    }
  });

  it('lets two waiting reversals of the same order take their points from the earning, in order', () => {
    const w = walletScenario();
    w.reverse({
      key: 'mindspark:r-1',
      points: 100,
      occurredAt: new Date(T0.getTime() + DAY_MS),
      orderRef: 'o-1',
    });
    w.reverse({
      key: 'mindspark:r-2',
      points: 200,
      occurredAt: new Date(T0.getTime() + 2 * DAY_MS),
      orderRef: 'o-1',
    });
    expect(
      awaitingReversals(w.state.entries, 'mindspark', 'o-1').map((r) => [r.entry.id, r.outstanding]),
    ).toEqual([
      ['mindspark:r-1', 100],
      ['mindspark:r-2', 200],
    ]);
    w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    expect(awaitingReversals(w.state.entries, 'mindspark', 'o-1')).toEqual([]);
    expect(w.state.lots[0].remaining).toBe(700);
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('does not let a waiting reversal of another partner’s order with the same number take points', () => {
    const w = walletScenario();
    w.reverse({ key: 'inkwell:r-1', partner: 'inkwell', points: 100, occurredAt: T0, orderRef: 'o-1' });
    w.earn({ key: 'mindspark:buy-1', points: 1_000, occurredAt: T0, orderRef: 'o-1' });
    expect(w.state.lots[0].remaining).toBe(1_000);
  });
});
