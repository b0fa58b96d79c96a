import type { Connection } from 'mongoose';
import { useLedgerDatabase } from '../../../test/points-ledger-fixture.js';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { SEED_EXPIRY_POLICY, expiryRule } from '../domain/expiry-policy.js';
import { availablePoints } from '../domain/points-lot.js';
import { reconcileWallet } from '../domain/wallet-reconciliation.js';
import type { PointsLedger } from './points-ledger.js';
import { toWalletEntry } from './points-ledger.js';
import { PointsWallet } from './points-wallet.js';
import type { WalletStoreOptions, WalletWriteStep } from './wallet-store.js';
import type { WalletDocument } from './wallet-store.js';
import { WalletStore, changedFields, walletCollection } from './wallet-store.js';

/** The wallet's two-step write (wallet document, then ledger) against the real store protocol. */
const calendar = createProgrammeCalendar();
const DAY_MS = 86_400_000;
const NOW = new Date('2026-06-15T04:00:00Z');

const database = useLedgerDatabase('wallet');
let connection: Connection;
let ledger: PointsLedger;
beforeAll(() => ({ connection, ledger } = database));

class SimulatedCrash extends Error {}

async function walletWith(options: Partial<WalletStoreOptions> = {}): Promise<PointsWallet> {
  const store = new WalletStore(walletCollection(connection), ledger, {
    now: () => NOW,
    calendar,
    ...options,
  });
  await store.init();
  return new PointsWallet(store, expiryRule(SEED_EXPIRY_POLICY, calendar));
}

const crashAfter = (step: WalletWriteStep) => ({
  afterStep: (at: WalletWriteStep) => {
    if (at === step) throw new SimulatedCrash(step);
  },
});

/** One earning of `memberId` as an operation. */
const earning = (
  wallet: PointsWallet,
  memberId: string,
  key: string,
  points: number,
  orderRef: string | null = null,
) =>
  wallet.earnOperation({
    key,
    memberId,
    partner: 'inkwell',
    points,
    occurredAt: new Date(NOW.getTime() - 10 * DAY_MS),
    availableAt: new Date(NOW.getTime() - 3 * DAY_MS),
    orderRef,
    sourceEventId: key,
  });

const refund = (wallet: PointsWallet, memberId: string, key: string, points: number, orderRef: string) =>
  wallet.reverseOperation({
    key,
    memberId,
    partner: 'inkwell',
    points,
    occurredAt: new Date(NOW.getTime() - DAY_MS),
    orderRef,
    sourceEventId: key,
  });

const earn = (
  wallet: PointsWallet,
  memberId: string,
  key: string,
  points: number,
  orderRef: string | null = null,
) => wallet.applyActivity(memberId, [earning(wallet, memberId, key, points, orderRef)]);

async function stateOf(memberId: string) {
  const doc = await walletCollection(connection).findOne({ _id: memberId });
  const entries = (await ledger.Ledger.find({ memberId }).lean()).map(toWalletEntry);
  return { lots: doc?.lots ?? [], entries, doc };
}

describe('a wallet change interrupted between its writes', () => {
  it('after the wallet write: the balance already counts it, and recovery appends its ledger entry', async () => {
    const crashing = await walletWith(crashAfter('wallet-written'));
    await expect(earn(crashing, 'M-crash-1', 'inkwell:e1', 120)).rejects.toThrow(SimulatedCrash);
    const half = await stateOf('M-crash-1');
    expect(half.entries).toEqual([]);
    expect(availablePoints(half.lots, NOW)).toBe(120);
    expect(half.doc?.flushPending).toBe(true);

    const healthy = await walletWith();
    expect(await healthy.store.recoverUnflushed()).toBeGreaterThanOrEqual(1);
    const done = await stateOf('M-crash-1');
    expect(done.entries.map((e) => [e.id, e.points])).toEqual([['inkwell:e1', 120]]);
    expect(done.doc?.flushPending).toBe(false);
    expect(reconcileWallet(done)).toEqual([]);

    // The redelivered event is a replay: nothing more.
    await earn(healthy, 'M-crash-1', 'inkwell:e1', 120);
    expect(reconcileWallet(await stateOf('M-crash-1'))).toEqual([]);
    expect((await stateOf('M-crash-1')).entries).toHaveLength(1);
  });

  it('after the ledger append: the next change of the wallet finishes it, and nothing is written twice', async () => {
    const crashing = await walletWith(crashAfter('ledger-appended'));
    await expect(earn(crashing, 'M-crash-2', 'inkwell:e2', 80)).rejects.toThrow(SimulatedCrash);
    expect((await stateOf('M-crash-2')).doc?.flushPending).toBe(true);

    const healthy = await walletWith();
    await earn(healthy, 'M-crash-2', 'inkwell:e3', 20);
    const done = await stateOf('M-crash-2');
    expect(done.entries.map((e) => e.id).sort()).toEqual(['inkwell:e2', 'inkwell:e3']);
    expect(done.doc?.flushPending).toBe(false);
    expect(availablePoints(done.lots, NOW)).toBe(100);
    expect(reconcileWallet(done)).toEqual([]);
  });
});

describe('concurrent changes of one wallet from several processes', () => {
  it('applies every change once, and the lots hold exactly what the ledger nets', async () => {
    // Separate stores share nothing in memory, as separate processes would: only the version check orders them.
    const processes = await Promise.all([walletWith(), walletWith(), walletWith(), walletWith()]);
    const memberId = 'M-race';
    const writes = [];
    for (let i = 0; i < 24; i++) {
      const wallet = processes[i % processes.length];
      writes.push(earn(wallet, memberId, `inkwell:race-${i}`, 10 + i, `order-${i % 6}`));
      // Each event delivered twice, to another process.
      writes.push(
        earn(processes[(i + 1) % processes.length], memberId, `inkwell:race-${i}`, 10 + i, `order-${i % 6}`),
      );
    }
    for (let i = 0; i < 6; i++) {
      const wallet = processes[i % processes.length];
      writes.push(
        wallet.applyActivity(memberId, [
          wallet.reverseOperation({
            key: `inkwell:refund-${i}`,
            memberId,
            partner: 'inkwell',
            points: 15,
            occurredAt: new Date(NOW.getTime() - DAY_MS),
            orderRef: `order-${i}`,
            sourceEventId: `refund-${i}`,
          }),
        ]),
      );
    }
    await Promise.all(writes);

    const state = await stateOf(memberId);
    expect(reconcileWallet(state)).toEqual([]);
    const earned = Array.from({ length: 24 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0);
    expect(state.entries.filter((e) => e.kind === 'earn')).toHaveLength(24);
    expect(state.entries.filter((e) => e.kind === 'reverse')).toHaveLength(6);
    expect(availablePoints(state.lots, NOW)).toBe(earned - 6 * 15);
    expect(state.doc?.lifetimeEarned).toBe(earned);
  });
});

describe("many members' changes written together", () => {
  it('gives each member what its own change gives, new wallets, existing ones and replays alike', async () => {
    const wallet = await walletWith();
    await earn(wallet, 'M-many-old', 'inkwell:many-0', 50, 'many-order-0');
    const outcomes = await wallet.applyActivities(
      new Map([
        [
          'M-many-new',
          [
            earning(wallet, 'M-many-new', 'inkwell:many-1', 30),
            earning(wallet, 'M-many-new', 'inkwell:many-2', 5),
          ],
        ],
        [
          'M-many-old',
          [
            earning(wallet, 'M-many-old', 'inkwell:many-0', 50, 'many-order-0'), // delivered before: a replay
            refund(wallet, 'M-many-old', 'inkwell:many-refund', 20, 'many-order-0'),
          ],
        ],
        ['M-many-none', []],
      ]),
    );
    expect(outcomes.get('M-many-new')?.map((o) => o.ok)).toEqual([true, true]);
    expect(outcomes.get('M-many-old')?.map((o) => o.ok && o.value.change.replay)).toEqual([true, false]);
    expect(outcomes.get('M-many-none')).toEqual([]);

    const fresh = await stateOf('M-many-new');
    expect(availablePoints(fresh.lots, NOW)).toBe(35);
    expect(fresh.entries.map((e) => e.id).sort()).toEqual(['inkwell:many-1', 'inkwell:many-2']);
    expect(fresh.doc?.flushPending).toBe(false);
    const old = await stateOf('M-many-old');
    expect(availablePoints(old.lots, NOW)).toBe(30);
    expect(old.entries.filter((e) => e.kind === 'reverse').map((e) => e.points)).toEqual([-20]);
    expect(old.doc?.version).toBe(2);
    for (const state of [fresh, old]) expect(reconcileWallet(state)).toEqual([]);
    expect(await walletCollection(connection).findOne({ _id: 'M-many-none' })).toBeNull();
  });

  it('a crash after the wallet writes leaves every entry parked, and redelivery finishes each once', async () => {
    const crashing = await walletWith(crashAfter('wallet-written'));
    const batch = (wallet: PointsWallet) =>
      new Map(
        ['M-many-c1', 'M-many-c2', 'M-many-c3'].map((memberId, i) => [
          memberId,
          [earning(wallet, memberId, `inkwell:many-crash-${i}`, 10 * (i + 1))],
        ]),
      );
    await expect(crashing.applyActivities(batch(crashing))).rejects.toThrow(SimulatedCrash);
    for (const memberId of ['M-many-c1', 'M-many-c2', 'M-many-c3']) {
      const half = await stateOf(memberId);
      expect(half.entries).toEqual([]);
      expect(half.doc?.flushPending).toBe(true);
    }
    const healthy = await walletWith();
    const again = await healthy.applyActivities(batch(healthy));
    expect([...again.values()].map(([o]) => o.ok && o.value.change.replay)).toEqual([true, true, true]);
    for (const [i, memberId] of ['M-many-c1', 'M-many-c2', 'M-many-c3'].entries()) {
      const done = await stateOf(memberId);
      expect(done.entries.map((e) => [e.id, e.points])).toEqual([[`inkwell:many-crash-${i}`, 10 * (i + 1)]]);
      expect(done.doc?.flushPending).toBe(false);
      expect(reconcileWallet(done)).toEqual([]);
    }
  });

  it('applies every change once when several processes write the same wallets together', async () => {
    const processes = await Promise.all([walletWith(), walletWith(), walletWith()]);
    const members = ['M-many-r1', 'M-many-r2', 'M-many-r3', 'M-many-r4'];
    const writes = [];
    for (let round = 0; round < 8; round++) {
      for (const [p, wallet] of processes.entries()) {
        // Each process's batch touches every member; rounds overlap the other processes' batches. Event keys
        // are unique (a ledger entry's key is its event's), so each member gets three keys a round.
        const batch = new Map(
          members.map((memberId, m) => [
            memberId,
            [
              earning(
                wallet,
                memberId,
                `inkwell:${memberId}-${round}-${(p + m) % 3}`,
                1 + round,
                `o-${round}`,
              ),
            ],
          ]),
        );
        writes.push(wallet.applyActivities(batch));
      }
    }
    await Promise.all(writes);
    for (const memberId of members) {
      const state = await stateOf(memberId);
      expect(reconcileWallet(state)).toEqual([]);
      // Three processes deliver three keys a round between them: each key once.
      expect(state.entries).toHaveLength(8 * 3);
      const expected = Array.from({ length: 8 }, (_, round) => 3 * (1 + round)).reduce((a, b) => a + b, 0);
      expect(availablePoints(state.lots, NOW)).toBe(expected);
      expect(state.doc?.lifetimeEarned).toBe(expected);
    }
  });
});

describe('the fields a wallet write sets', () => {
  const lot = (id: string, remaining: number) =>
    ({ id, remaining }) as unknown as WalletDocument['lots'][number];
  const wallet = (lots: WalletDocument['lots']): WalletDocument => ({
    _id: 'M1',
    version: 3,
    lots,
    lifetimeEarned: 10,
    nextExpiryAt: null,
    unflushed: [],
    flushPending: false,
  });
  const [a, b, c] = [lot('a', 5), lot('b', 5), lot('c', 5)];

  it('are the lots changed or added, by position, beside every other field', () => {
    const previous = wallet([a, b, c]);
    const spentB = lot('b', 2);
    const added = lot('d', 7);
    const { lots: _lots, _id, ...rest } = { ...previous, version: 4, lots: [a, spentB, c, added] };
    expect(changedFields(previous, { ...previous, version: 4, lots: [a, spentB, c, added] })).toEqual({
      ...rest,
      'lots.1': spentB,
      'lots.3': added,
    });
  });

  it('are the lots whole when they were reordered or some removed', () => {
    const previous = wallet([a, b, c]);
    expect(changedFields(previous, wallet([b, a, c]))).toMatchObject({ lots: [b, a, c] });
    expect(changedFields(previous, wallet([a, b]))).toMatchObject({ lots: [a, b] });
  });

  it('store the same wallet as writing it whole', async () => {
    const Wallets = walletCollection(connection);
    const previous = wallet([a, b, c]);
    const next = { ...previous, version: 4, lots: [a, lot('b', 1), c, lot('d', 7), lot('e', 8)] };
    await Wallets.insertOne({ ...previous, _id: 'M-delta' });
    await Wallets.updateOne({ _id: 'M-delta', version: 3 }, { $set: changedFields(previous, next) });
    expect(await Wallets.findOne({ _id: 'M-delta' })).toEqual({ ...next, _id: 'M-delta' });
  });
});

describe('the expiry sweep', () => {
  it('expires due lots once, however often and wherever it runs', async () => {
    const wallet = await walletWith();
    const memberId = 'M-expiry';
    await earn(wallet, memberId, 'inkwell:old', 70);
    const lot = (await stateOf(memberId)).lots[0];
    const after = new Date(lot.expiresAt!.getTime() + 1);
    const [first, second] = await Promise.all([
      wallet.sweepExpired(after),
      (await walletWith()).sweepExpired(after),
    ]);
    expect(first.points + second.points).toBeGreaterThanOrEqual(70);
    await wallet.sweepExpired(after);
    const state = await stateOf(memberId);
    expect(state.entries.filter((e) => e.kind === 'expire').map((e) => [e.id, e.points])).toEqual([
      ['expire:inkwell:old', -70],
    ]);
    expect(state.doc?.nextExpiryAt).toBeNull();
    expect(reconcileWallet(state)).toEqual([]);
  });
});
