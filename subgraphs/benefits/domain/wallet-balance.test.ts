import { expiringPoints } from './wallet-balance.js';
import { walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

describe('balance breakdown and expiring points', () => {
  function wallet() {
    const w = walletScenario();
    w.earn({ key: 'a', points: 100, occurredAt: new Date('2024-05-20T02:00:00Z') }); // expires end of May 2025
    w.earn({ key: 'b', points: 200, occurredAt: new Date('2024-05-29T02:00:00Z') }); // available 5 June: end of June 2025
    w.earn({ key: 'c', points: 400, occurredAt: new Date('2024-06-10T02:00:00Z') }); // end of June 2025
    w.earn({ key: 'd', points: 800, occurredAt: new Date('2025-05-25T02:00:00Z') }); // pending until 1 June 2025
    return w;
  }
  const now = new Date('2025-05-26T04:00:00Z'); // 26 May 2025, 12:00 Shanghai

  it('groups points by expiry within a window of local days, with the last day they can be spent', () => {
    const w = wallet();
    // Valid through 30 June = 35 days after 26 May.
    expect(expiringPoints(w.state.lots, now, 35, w.calendar)).toEqual([
      { points: 100, on: new Date('2025-05-31T16:00:00Z'), lastDay: '2025-05-31' },
      { points: 600, on: new Date('2025-06-30T16:00:00Z'), lastDay: '2025-06-30' },
    ]);
    expect(expiringPoints(w.state.lots, now, 34, w.calendar)).toHaveLength(1);
    expect(expiringPoints(w.state.lots, now, 5, w.calendar)).toEqual([
      { points: 100, on: new Date('2025-05-31T16:00:00Z'), lastDay: '2025-05-31' },
    ]);
    expect(expiringPoints(w.state.lots, now, 4, w.calendar)).toEqual([]);
    // Already expired points are not "expiring".
    expect(expiringPoints(w.state.lots, new Date('2025-06-01T00:00:00Z'), 4, w.calendar)).toEqual([]);
  });

  it('breaks the balance down into spendable, pending, expiring soon and lifetime figures', () => {
    const w = wallet();
    w.redeem({ key: 'r', points: 60, occurredAt: now }); // from a, which expires first
    expect(w.balance(now)).toEqual({
      available: 640,
      pending: 800,
      expiringSoon: 40, // what is left of a; the seed warns 30 days ahead, and June's expiry is 35 away
      lifetimeEarned: 1_500,
      lifetimeReversed: 0,
      lifetimeRedeemed: 60,
      lifetimeExpired: 0,
      lifetimeAdjusted: 0,
    });
    w.expire(new Date('2025-07-01T00:00:00Z'));
    expect(w.balance(new Date('2025-07-01T00:00:00Z'))).toMatchObject({
      available: 800,
      pending: 0,
      lifetimeExpired: 640,
    });
  });
});
