import { ledgerTotals, reconcileWallet } from './wallet-reconciliation.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2025-03-10T02:00:00Z');
const day = (n: number): Date => new Date(T0.getTime() + n * DAY_MS);

function history() {
  const w = walletScenario();
  w.earn({ key: 'a', points: 1_000, occurredAt: day(0), orderRef: 'o-1' });
  w.earn({ key: 'b', points: 500, occurredAt: day(1), orderRef: 'o-2' });
  w.reverse({ key: 'ref', points: 200, occurredAt: day(2), orderRef: 'o-2' });
  w.redeem({ key: 'r', points: 700, occurredAt: day(9) });
  w.giveBack({ key: 'back', redeemEntryId: 'r', points: 100, occurredAt: day(10) });
  w.adjust({ key: 'adj', points: -50, occurredAt: day(11) });
  w.expire(day(500));
  return w;
}

describe('ledgerTotals', () => {
  it('sums each kind and nets them to what the lots hold', () => {
    const w = history();
    expect(ledgerTotals(w.state.entries)).toEqual({
      earned: 1_500,
      reversed: 200,
      redeemed: 700,
      returned: 100,
      expired: 650,
      adjusted: -50,
      net: 0,
    });
  });
});

describe('reconcileWallet', () => {
  it('finds nothing wrong in a history the operations wrote', () => {
    expect(reconcileWallet(history().state)).toEqual([]);
  });

  it('names a lot whose remainder disagrees with the ledger, and the totals that then differ', () => {
    const { lots, entries } = history().state;
    const tampered = lots.map((l) => (l.id === 'a' ? { ...l, remaining: l.remaining + 5 } : l));
    expect(reconcileWallet({ lots: tampered, entries })).toEqual([
      'lot a: remaining 5 but the ledger allocates 0',
      'lots hold 5 points but the ledger nets 0',
    ]);
  });

  it('names an entry whose allocations do not add up and an allocation to an unknown lot', () => {
    const { lots, entries } = history().state;
    const broken = entries.map((e) =>
      e.id === 'r'
        ? { ...e, allocations: [...e.allocations, { lotId: 'ghost', partner: 'x', points: -1 }] }
        : e,
    );
    expect(reconcileWallet({ lots, entries: broken })).toEqual([
      'entry r: -700 points but allocations sum to -701',
      'allocations to unknown lot ghost',
    ]);
  });

  it('names a lot holding more than it was created with, or a positive debt', () => {
    const lot = history().state.lots[0];
    expect(
      reconcileWallet({ lots: [{ ...lot, id: 'x', points: 100, remaining: 150 }], entries: [] }),
    ).toContain('lot x: remaining 150 outside 0..100');
    expect(
      reconcileWallet({
        lots: [{ ...lot, id: 'd', origin: 'debt', points: -100, remaining: 10 }],
        entries: [],
      }),
    ).toContain('lot d: remaining 10 outside -100..0');
  });
});
