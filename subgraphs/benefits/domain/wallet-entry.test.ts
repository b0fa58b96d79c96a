import { applyWalletChange, priorOutcome } from './wallet-entry.js';
import { walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const T0 = new Date('2025-03-10T02:00:00Z');

describe('wallet changes', () => {
  it('applies allocations to existing lots and appends new lots and entries', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 100, occurredAt: T0, availableAt: T0 });
    expect(w.state.lots.map((l) => l.remaining)).toEqual([100]);
    w.redeem({ key: 'r', points: 40, occurredAt: T0 });
    expect(w.state.lots.map((l) => l.remaining)).toEqual([60]);
    expect(w.state.entries.map((e) => e.id)).toEqual(['a', 'r']);
  });

  it('refuses a change that allocates to a lot the state does not have', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 100, occurredAt: T0, availableAt: T0 });
    const entry = {
      ...w.state.entries[0],
      id: 'x',
      allocations: [{ lotId: 'ghost', partner: 'p', points: -1 }],
    };
    expect(() => applyWalletChange(w.state, { entries: [entry], newLots: [], replay: false })).toThrow(
      'change allocates to unknown lots: ghost',
    );
  });

  it('tells a new key from a replay and from a reused key', () => {
    const w = walletScenario();
    w.earn({ key: 'a', points: 100, occurredAt: T0 });
    const stored = w.state.entries[0].fingerprint;
    expect(priorOutcome(w.state, 'b', stored)).toBeNull();
    expect(priorOutcome(w.state, 'a', stored)).toEqual({
      ok: true,
      value: { entries: [], newLots: [], replay: true },
    });
    expect(priorOutcome(w.state, 'a', 'other')).toMatchObject({ ok: false, refusal: { code: 'CONFLICT' } });
  });
});
