import { applyExpiry, expiryEntryKey, lotsDueForExpiry } from './expiry-sweep.js';
import { applyWalletChange } from './wallet-entry.js';
import { reconcileWallet } from './wallet-reconciliation.js';
import { walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

// Available 3 July 2024 (Shanghai) → valid through 31 July 2025 → gone at 2025-07-31T16:00Z.
const EARNED = new Date('2024-06-26T10:00:00Z');
const EXPIRY = new Date('2025-07-31T16:00:00Z');
const BEFORE = new Date(EXPIRY.getTime() - 1);

describe('expiry sweep', () => {
  it('expires nothing a millisecond before the end of the month, and the remainder at it', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 500, occurredAt: EARNED });
    w.redeem({ key: 'r', points: 120, occurredAt: new Date('2025-01-01T00:00:00Z') });
    expect(lotsDueForExpiry(w.state.lots, BEFORE)).toEqual([]);
    expect(w.balance(BEFORE)).toMatchObject({ available: 380 });

    const change = w.expire(EXPIRY);
    expect(change.entries).toEqual([
      expect.objectContaining({
        id: 'expire:a',
        kind: 'expire',
        points: -380,
        partner: 'mindspark',
        occurredAt: EXPIRY,
        allocations: [{ lotId: 'a', partner: 'mindspark', points: -380 }],
      }),
    ]);
    expect(w.balance(EXPIRY)).toMatchObject({ available: 0, lifetimeExpired: 380, lifetimeRedeemed: 120 });
    expect(reconcileWallet(w.state)).toEqual([]);
  });

  it('is idempotent: a second sweep finds nothing, and a concurrent one produces the same keyed entry', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 500, occurredAt: EARNED });
    const before = w.state;
    const first = applyExpiry(before, EXPIRY);
    const concurrent = applyExpiry(before, new Date(EXPIRY.getTime() + 60_000));
    expect(concurrent.entries).toEqual(first.entries);
    const after = applyWalletChange(before, first);
    expect(applyExpiry(after, new Date('2026-01-01T00:00:00Z'))).toEqual({
      entries: [],
      newLots: [],
      replay: true,
    });
    expect(expiryEntryKey('a')).toBe('expire:a');
  });

  it('leaves spent lots and lots that never expire alone', () => {
    const w = walletScenario({ rule: 'NEVER', warnWithinDays: 30 });
    w.earn({ key: 'a', points: 500, occurredAt: EARNED });
    expect(applyExpiry(w.state, new Date('2099-01-01T00:00:00Z')).entries).toEqual([]);
  });
});
