import fc from 'fast-check';
import { isAvailable, isPending } from './points-lot.js';
import { ledgerTotals, reconcileWallet } from './wallet-reconciliation.js';
import type { WalletScenario } from '../../../test/benefits/wallet-test-scenario.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

/**
 * Random histories of earnings, refunds (also before their earning), spending, cancellations, operator
 * corrections, expiry sweeps and the passing of time, checked after every step against what must always
 * hold. Seeded, so a failure is reproducible; fast-check shrinks it to a minimal history.
 */
const SEED = 20_250_701;
const START = Date.parse('2025-01-01T00:00:00Z');

type Step =
  | { op: 'earn'; points: number; order: number; pending: boolean }
  | { op: 'refund'; order: number; points: number }
  | { op: 'redeem'; points: number }
  | { op: 'cancel'; pick: number; part: number }
  | { op: 'adjust'; points: number; allowNegative: boolean }
  | { op: 'expire' }
  | { op: 'wait'; hours: number }
  | { op: 'retry'; pick: number };

const PARTNERS = ['mindspark', 'inkwell', 'pulsefit'];

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('earn' as const),
      points: fc.integer({ min: 1, max: 3_000 }),
      order: fc.nat(7),
      pending: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('refund' as const),
      order: fc.nat(7),
      points: fc.integer({ min: 1, max: 2_000 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ op: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 1_500 }) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('cancel' as const),
      pick: fc.nat(),
      part: fc.integer({ min: 0, max: 800 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('adjust' as const),
      points: fc.integer({ min: -1_500, max: 1_500 }).filter((p) => p !== 0),
      allowNegative: fc.boolean(),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ op: 'expire' as const }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 24 * 200 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('retry' as const), pick: fc.nat() }), weight: 1 },
);

interface Run {
  wallet: WalletScenario;
  now: number;
  negativeAllowed: boolean;
  reversalsAsked: number;
  redeemed: string[];
  replays: (() => boolean)[];
  n: number;
}

/** An order's partner and reference, which its earning and its refunds share. */
const ofOrder = (order: number) => ({ partner: PARTNERS[order % PARTNERS.length], orderRef: `o-${order}` });

function perform(run: Run, s: Step): void {
  const w = run.wallet;
  const at = new Date(run.now);
  const key = `k${run.n++}`;
  switch (s.op) {
    case 'earn': {
      const request = {
        key,
        ...ofOrder(s.order),
        points: s.points,
        occurredAt: at,
        availableAt: s.pending ? new Date(run.now + 7 * DAY_MS) : at,
      };
      w.earn(request);
      run.replays.push(() => {
        const again = w.earn(request);
        return again.ok && again.value.replay;
      });
      return;
    }
    case 'refund': {
      const outcome = w.reverse({ key, ...ofOrder(s.order), points: s.points, occurredAt: at });
      if (outcome.ok) run.reversalsAsked += s.points;
      return;
    }
    case 'redeem': {
      const before = w.state;
      const available = w.balance(at).available;
      const outcome = w.redeem({ key, points: s.points, occurredAt: at });
      // A spend succeeds exactly when the spendable balance covers it; a refusal writes nothing.
      expect(outcome.ok).toBe(available >= s.points);
      if (outcome.ok) run.redeemed.push(key);
      else expect(w.state).toBe(before);
      return;
    }
    case 'cancel': {
      if (run.redeemed.length === 0) return;
      const redeemEntryId = run.redeemed[s.pick % run.redeemed.length];
      w.giveBack({ key, redeemEntryId, points: s.part === 0 ? undefined : s.part, occurredAt: at });
      return;
    }
    case 'adjust':
      if (
        w.adjust({ key, points: s.points, occurredAt: at, allowNegativeBalance: s.allowNegative }).ok &&
        s.points < 0
      ) {
        run.negativeAllowed ||= s.allowNegative;
      }
      return;
    case 'expire':
      w.expire(at);
      return;
    case 'wait':
      run.now += s.hours * 3_600_000;
      return;
    case 'retry':
      if (run.replays.length > 0) expect(run.replays[s.pick % run.replays.length]()).toBe(true);
      return;
  }
}

function checkInvariants(run: Run): void {
  const { lots, entries } = run.wallet.state;
  const at = new Date(run.now);
  const balance = run.wallet.balance(at);
  // The balance is the sum of the available lots and the pending figure that of the pending ones.
  expect(balance.available).toBe(lots.filter((l) => isAvailable(l, at)).reduce((s, l) => s + l.remaining, 0));
  expect(balance.pending).toBe(lots.filter((l) => isPending(l, at)).reduce((s, l) => s + l.remaining, 0));
  // Never negative unless an operator explicitly allowed a negative balance.
  if (!run.negativeAllowed) {
    expect(balance.available).toBeGreaterThanOrEqual(0);
    expect(lots.every((l) => l.remaining >= 0)).toBe(true);
  }
  expect(balance.pending).toBeGreaterThanOrEqual(0);
  // earned − reversed − redeemed + returned − expired ± adjusted = what the lots hold; and every lot agrees.
  expect(reconcileWallet(run.wallet.state)).toEqual([]);
  expect(lots.reduce((s, l) => s + l.remaining, 0)).toBe(ledgerTotals(entries).net);
  // Every point a refund asked back was taken, written off as unrecovered, or still waits for its earning.
  const reverses = entries.filter((e) => e.kind === 'reverse');
  const matched = new Map<string, number>();
  for (const e of reverses)
    if (e.reference) matched.set(e.reference, (matched.get(e.reference) ?? 0) - e.points);
  const asked = reverses.filter((e) => !e.reference);
  expect(asked.reduce((sum, e) => sum - e.points + e.unrecoveredPoints + e.awaitingPoints, 0)).toBe(
    run.reversalsAsked,
  );
  for (const e of asked) expect(matched.get(e.id) ?? 0).toBeLessThanOrEqual(e.awaitingPoints);
  // No redemption gives back more than it took.
  for (const redeem of entries.filter((e) => e.kind === 'redeem')) {
    const back = entries
      .filter((e) => e.kind === 'return' && e.reference === redeem.id)
      .reduce((sum, e) => sum + e.points, 0);
    expect(back).toBeLessThanOrEqual(-redeem.points);
  }
  // Ledger keys are unique: nothing was written twice.
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
}

describe('wallet properties (fast-check, seeded)', () => {
  it('keeps balance, lots and ledger consistent through any history', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 50, size: 'max' }), (steps) => {
        const run: Run = {
          wallet: walletScenario(),
          now: START,
          negativeAllowed: false,
          reversalsAsked: 0,
          redeemed: [],
          replays: [],
          n: 0,
        };
        for (const s of steps) {
          perform(run, s);
          checkInvariants(run);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('never leaves points available after their expiry once swept', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ points: fc.integer({ min: 1, max: 5_000 }), days: fc.integer({ min: 0, max: 800 }) }),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        fc.integer({ min: 0, max: 1_500 }),
        (earnings, sweepDay) => {
          const w = walletScenario();
          earnings.forEach((e, i) =>
            w.earn({ key: `e${i}`, points: e.points, occurredAt: new Date(START + e.days * DAY_MS) }),
          );
          const sweepAt = new Date(START + sweepDay * DAY_MS);
          w.expire(sweepAt);
          for (const lot of w.state.lots) {
            if (lot.expiresAt && lot.expiresAt.getTime() <= sweepAt.getTime()) expect(lot.remaining).toBe(0);
            else expect(lot.remaining).toBe(lot.points);
          }
          expect(reconcileWallet(w.state)).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});
