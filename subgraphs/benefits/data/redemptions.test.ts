import type { Connection } from 'mongoose';
import { useLedgerDatabase } from '../../../test/points-ledger-fixture.js';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { SEED_EXPIRY_POLICY, expiryRule } from '../domain/expiry-policy.js';
import { availablePoints } from '../domain/points-lot.js';
import type { RedemptionTerms } from '../domain/redemption-terms.js';
import { reconcileWallet } from '../domain/wallet-reconciliation.js';
import type { PointsLedger } from './points-ledger.js';
import { toWalletEntry } from './points-ledger.js';
import { PointsWallet } from './points-wallet.js';
import type { RedemptionStep } from './redemptions.js';
import { RedemptionRefused, Redemptions, redemptionIdOf } from './redemptions.js';
import { WalletStore, walletCollection } from './wallet-store.js';
import { SEED_EARNING_RULES } from '../domain/earning-rules.js';

/** The redemption protocol stopped after each of its writes, then finished by a retry or by the sweep. */
const calendar = createProgrammeCalendar();
const NOW = new Date('2026-06-15T04:00:00Z');
const DAY_MS = 86_400_000;
const STEPS: RedemptionStep[] = ['created', 'stock-reserved', 'points-taken', 'confirmed'];

const TERMS: RedemptionTerms = {
  code: 'SL-POPCORN',
  title: 'Popcorn voucher',
  honouredBy: 'starlight',
  fundedBy: 'starlight',
  eligibleTiers: ['BASIC', 'CLASSIC', 'GOLD', 'DIAMOND'],
  pointsCost: 300,
  pointsCostByTier: {},
  stockTotal: 5,
  stockPerPeriod: null,
  perMemberLimit: { count: 3, period: 'LIFETIME' },
  validFrom: null,
  validUntil: null,
  voucherValidDays: 30,
};

const database = useLedgerDatabase('redeem');
let connection: Connection;
let ledger: PointsLedger;
beforeAll(() => ({ connection, ledger } = database));

class SimulatedCrash extends Error {}

async function service(crashAt?: RedemptionStep) {
  const store = new WalletStore(walletCollection(connection), ledger, { now: () => NOW, calendar });
  await store.init();
  const redemptions = new Redemptions(connection, store, {
    now: () => NOW,
    calendar,
    cancelWindowMs: SEED_EARNING_RULES.redemption.cancelWindowDays * 86_400_000,
    afterStep: (step) => {
      if (step === crashAt) throw new SimulatedCrash(step);
    },
  });
  await redemptions.init();
  return { store, redemptions, wallet: new PointsWallet(store, expiryRule(SEED_EXPIRY_POLICY, calendar)) };
}

async function memberWithPoints(memberId: string, points: number): Promise<void> {
  const { wallet } = await service();
  await wallet.applyActivity(memberId, [
    wallet.earnOperation({
      key: `inkwell:${memberId}`,
      memberId,
      partner: 'inkwell',
      points,
      occurredAt: new Date(NOW.getTime() - 20 * DAY_MS),
      availableAt: new Date(NOW.getTime() - 13 * DAY_MS),
      orderRef: null,
      sourceEventId: memberId,
    }),
  ]);
}

async function invariants(memberId: string, benefitId: string) {
  const wallet = await walletCollection(connection).findOne({ _id: memberId });
  const entries = (await ledger.Ledger.find({ memberId }).lean()).map(toWalletEntry);
  expect(reconcileWallet({ lots: wallet!.lots, entries })).toEqual([]);
  const stock = await connection.collection('benefit_stock').findOne({ _id: benefitId as never });
  const confirmed = await connection
    .collection('redemptions')
    .find({ memberId, status: 'CONFIRMED' })
    .toArray();
  const units = confirmed.reduce((sum, r) => sum + (r.quantity as number), 0);
  // Stock taken = confirmed units; points taken = their cost; the member counter agrees.
  expect(stock?.used ?? 0).toBe(units);
  expect(entries.filter((e) => e.kind === 'redeem').reduce((s, e) => s - e.points, 0)).toBe(units * 300);
  expect(wallet!.redemptionCounts?.[`${benefitId}|LIFETIME`] ?? 0).toBe(units);
  return { balance: availablePoints(wallet!.lots, NOW), units, stock };
}

const input = (memberId: string, key = 'k1') => ({
  memberId,
  benefitId: 'SL-POPCORN',
  quantity: 1,
  idempotencyKey: key,
});

describe.each(STEPS)('a redemption interrupted after "%s"', (step) => {
  /** A member with 1,000 points whose redemption of a benefit of the test's own crashed after `step`. */
  async function interrupted(test: string) {
    const memberId = `M-${test}-${step}`;
    await memberWithPoints(memberId, 1_000);
    const terms = { ...TERMS, code: `B-${test}-${step}` };
    const request = { ...input(memberId), benefitId: terms.code };
    await expect((await service(step)).redemptions.redeem(request, terms, 'BASIC')).rejects.toThrow(
      SimulatedCrash,
    );
    return { memberId, terms, request };
  }

  it('is completed by a retry with the same key, once', async () => {
    const { memberId, terms, request } = await interrupted('retry');
    const done = await (await service()).redemptions.redeem(request, terms, 'BASIC');
    expect(done).toMatchObject({ status: 'CONFIRMED', pointsSpent: 300 });
    await (await service()).redemptions.recover(0);
    const state = await invariants(memberId, terms.code);
    expect(state).toMatchObject({ balance: 700, units: 1 });
    expect(state.stock?.reservations).toEqual([]);
  });

  it('is rolled forward or back by the recovery sweep, never half-done', async () => {
    const { memberId, terms, request } = await interrupted('sweep');
    await (await service()).redemptions.recover(0);
    const state = await invariants(memberId, terms.code);
    const pointsTaken = step === 'points-taken' || step === 'confirmed';
    expect(state).toMatchObject({ balance: pointsTaken ? 700 : 1_000, units: pointsTaken ? 1 : 0 });
    expect(state.stock?.reservations ?? []).toEqual([]);
    // A retry after a roll-back is told so; after a roll-forward it gets the redemption.
    const retry = (await service()).redemptions.redeem(request, terms, 'BASIC');
    if (pointsTaken) await expect(retry).resolves.toMatchObject({ status: 'CONFIRMED' });
    else await expect(retry).rejects.toThrow(RedemptionRefused);
  });
});

describe('redemptions racing for the last units', () => {
  it('lets exactly the stock through from several processes, and a cancel returns points and stock', async () => {
    const terms = { ...TERMS, code: 'B-race', stockTotal: 4, perMemberLimit: null };
    const members = Array.from({ length: 6 }, (_, i) => `M-race-${i}`);
    for (const m of members) await memberWithPoints(m, 600);
    const processes = await Promise.all([service(), service(), service()]);
    const attempts = members.flatMap((memberId, i) =>
      [0, 1].map((k) =>
        processes[(i + k) % 3].redemptions
          .redeem(
            { memberId, benefitId: terms.code, quantity: 1, idempotencyKey: `race-${k}` },
            terms,
            'BASIC',
          )
          .then(
            () => 'ok',
            (e: RedemptionRefused) => e.refusal.code,
          ),
      ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === 'ok')).toHaveLength(4);
    const stock = await connection.collection('benefit_stock').findOne({ _id: 'B-race' as never });
    expect(stock?.used).toBe(4);

    const winner = (await connection
      .collection('redemptions')
      .findOne({ benefitId: 'B-race', status: 'CONFIRMED' }))!;
    const cancelled = await processes[0].redemptions.cancel(
      winner.memberId as string,
      winner._id as unknown as string,
    );
    expect(cancelled.status).toBe('CANCELLED');
    expect((await connection.collection('benefit_stock').findOne({ _id: 'B-race' as never }))?.used).toBe(3);
    const wallet = await walletCollection(connection).findOne({ _id: winner.memberId as string });
    const entries = (await ledger.Ledger.find({ memberId: winner.memberId }).lean()).map(toWalletEntry);
    expect(reconcileWallet({ lots: wallet!.lots, entries })).toEqual([]);
    expect(redemptionIdOf(winner.memberId as string, winner.idempotencyKey as string)).toBe(winner._id);
  });
});
