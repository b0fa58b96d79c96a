import { pointsStillOut } from './return-points.js';
import { reconcileWallet } from './wallet-reconciliation.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2025-01-10T02:00:00Z');
const day = (n: number): Date => new Date(T0.getTime() + n * DAY_MS);

function spentWallet() {
  const w = walletScenario();
  w.earn({ key: 'dec', points: 300, occurredAt: day(-40), orderRef: 'o-1' }); // expires end of Dec 2025
  w.earn({ key: 'jan', points: 300, occurredAt: day(0), orderRef: 'o-2' }); // expires end of Jan 2026
  w.redeem({ key: 'r-1', points: 500, occurredAt: day(10), orderRef: 'redemption-1' });
  return w;
}

describe('applyReturn', () => {
  it('gives a cancelled redemption’s points back as new lots with the original expiry and partner', () => {
    const w = spentWallet();
    const outcome = w.giveBack({ key: 'r-1:cancel', redeemEntryId: 'r-1', occurredAt: day(400) });
    expect(
      outcome.ok &&
        outcome.value.newLots.map((l) => [l.id, l.origin, l.remaining, l.expiresAt?.toISOString()]),
    ).toEqual([
      ['r-1:cancel:jan', 'return', 200, '2026-01-31T16:00:00.000Z'],
      ['r-1:cancel:dec', 'return', 300, '2025-12-31T16:00:00.000Z'],
    ]);
    expect(outcome.ok && outcome.value.entries[0]).toMatchObject({
      kind: 'return',
      points: 500,
      partner: 'inkwell',
      reference: 'r-1',
      orderRef: 'redemption-1',
    });
    // On day 400 (13 Feb 2026) every one of those lots has expired: nothing comes back to life.
    expect(w.balance(day(400)).available).toBe(0);
    expect(w.balance(day(10))).toMatchObject({ available: 600, lifetimeRedeemed: 0 });
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('gives back part of a payment, the latest-expiring points first, and then the rest', () => {
    const w = spentWallet();
    w.giveBack({ key: 'refund-1', redeemEntryId: 'r-1', points: 250, occurredAt: day(11) });
    const redeem = w.state.entries.find((e) => e.id === 'r-1')!;
    expect(pointsStillOut(redeem, w.state.entries).map((o) => [o.allocation.lotId, o.out])).toEqual([
      ['dec', 250],
      ['jan', 0],
    ]);
    const rest = w.giveBack({ key: 'refund-2', redeemEntryId: 'r-1', occurredAt: day(12) });
    expect(rest.ok && rest.value.entries[0].points).toBe(250);
    expect(w.balance(day(12)).available).toBe(600);
  });

  it('refuses to give back more than is out, twice, or for an unknown redemption', () => {
    const w = spentWallet();
    expect(w.giveBack({ key: 'x', redeemEntryId: 'r-1', points: 501, occurredAt: day(11) })).toEqual({
      ok: false,
      refusal: { code: 'CONFLICT', message: 'Only 500 points of r-1 are left to give back.' },
    });
    w.giveBack({ key: 'r-1:cancel', redeemEntryId: 'r-1', occurredAt: day(11) });
    expect(w.giveBack({ key: 'again', redeemEntryId: 'r-1', occurredAt: day(11) })).toMatchObject({
      ok: false,
      refusal: { code: 'CONFLICT', message: 'The points of r-1 have already been given back.' },
    });
    expect(w.giveBack({ key: 'y', redeemEntryId: 'nope', occurredAt: day(11) })).toMatchObject({
      ok: false,
      refusal: { code: 'NOT_FOUND' },
    });
    // A retry of the cancellation is a replay, not a second return.
    expect(w.giveBack({ key: 'r-1:cancel', redeemEntryId: 'r-1', occurredAt: day(11) })).toMatchObject({
      ok: true,
      value: { replay: true },
    });
  });

  it('lets a refund of the order reverse the points that came back to it', () => {
    const w = spentWallet();
    w.giveBack({ key: 'r-1:cancel', redeemEntryId: 'r-1', occurredAt: day(11) });
    const outcome = w.reverse({
      key: 'mindspark:refund-1',
      points: 300,
      occurredAt: day(12),
      orderRef: 'o-1',
    });
    expect(outcome.ok && outcome.value.entries[0].allocations).toEqual([
      { lotId: 'r-1:cancel:dec', partner: 'mindspark', points: -300 },
    ]);
    expect(reconcileWallet(w.state)).toEqual([]);
  });
});
