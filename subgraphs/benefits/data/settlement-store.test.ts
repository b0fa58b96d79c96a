import type { Connection } from 'mongoose';
import { useConformanceDatabase } from '../../../tools/embedded-mongo/conformance/test-fixture.js';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { SEED_CHECKOUT_RULES, checkoutTermsFor } from '../domain/checkout-terms.js';
import { SEED_EXPIRY_POLICY, expiryRule } from '../domain/expiry-policy.js';
import { verifyClosedStatement } from '../domain/settlement-statement.js';
import { PointsLedger, pointsLedgerModel, toWalletEntry } from './points-ledger.js';
import { payWithPoints } from './points-payments.js';
import { PointsWallet } from './points-wallet.js';
import { SettlementMonths, SettlementStore, registrySettlementTerms } from './settlement-store.js';
import type { WalletWriteStep } from './wallet-store.js';
import { WalletStore, walletCollection } from './wallet-store.js';

/** Closing a settlement month: only once ended, restart-safe, immutable, with late entries moved on. */
const calendar = createProgrammeCalendar();
const PARTNERS = ['inkwell', 'mindspark', 'pulsefit'];
const terms = registrySettlementTerms([
  {
    key: 'inkwell',
    settlement: { fundingRate: { minor: 1, points: 1 }, reimbursementRate: { minor: 9, points: 10 } },
  },
]);

class SimulatedCrash extends Error {}

const database = useConformanceDatabase('settle', { mongoose: true });
let connection: Connection;
let clock = new Date('2026-06-10T04:00:00Z');

beforeAll(() => {
  connection = database.connection;
});

async function services(crash: { walletStep?: WalletWriteStep; afterPartner?: string } = {}) {
  const Ledger = pointsLedgerModel(connection);
  await Ledger.init();
  const settlementMonths = new SettlementMonths(connection);
  const store = new WalletStore(walletCollection(connection), new PointsLedger(Ledger), {
    now: () => clock,
    calendar,
    closedMonths: () => settlementMonths.current(),
    afterStep: (step) => {
      if (step === crash.walletStep) throw new SimulatedCrash(step);
    },
  });
  await store.init();
  const settlement = new SettlementStore(connection, Ledger, settlementMonths, {
    partners: PARTNERS,
    terms,
    calendar,
    now: () => clock,
    flushParkedEntries: () => store.recoverUnflushed(),
    afterStatementWritten: (partner) => {
      if (partner === crash.afterPartner) throw new SimulatedCrash(partner);
    },
  });
  await settlement.init();
  return {
    store,
    settlement,
    wallet: new PointsWallet(store, expiryRule(SEED_EXPIRY_POLICY, calendar)),
    Ledger,
  };
}

const pay = async (store: WalletStore, orderId: string, points: number) =>
  payWithPoints(
    store,
    {
      memberRef: 'M1',
      orderId,
      orderAmountMinor: 100_000,
      points,
      idempotencyKey: orderId,
      tier: 'BASIC',
      occurredAt: clock,
    },
    checkoutTermsFor('inkwell', SEED_CHECKOUT_RULES),
    calendar,
  );

it('closes an ended month once, finishing after a crash, and books later entries in the next month', async () => {
  const { wallet, store, settlement } = await services();
  await wallet.applyActivity('M1', [
    wallet.earnOperation({
      key: 'mindspark:e1',
      memberId: 'M1',
      partner: 'mindspark',
      points: 1_000,
      occurredAt: clock,
      availableAt: clock,
      orderRef: null,
      sourceEventId: 'e1',
    }),
  ]);
  expect((await pay(store, 'o1', 400)).ok).toBe(true);
  // A payment whose ledger entry a crash left parked in the wallet: the close must still count it.
  await expect(pay((await services({ walletStep: 'wallet-written' })).store, 'o2', 100)).rejects.toThrow(
    SimulatedCrash,
  );

  await expect(settlement.close('2026-06')).rejects.toMatchObject({
    extensions: { code: 'MONTH_NOT_ENDED' },
  });
  clock = new Date('2026-07-01T00:00:00+08:00');
  const crashing = await services({ afterPartner: 'inkwell' });
  await expect(crashing.settlement.close('2026-06')).rejects.toThrow(SimulatedCrash);
  const firstInkwell = await crashing.settlement.statement('inkwell', '2026-06');

  // While the close is unfinished the month takes no new entries, even from a clock still in June.
  clock = new Date('2026-06-30T12:00:00+08:00');
  const late = await services();
  expect((await pay(late.store, 'o3', 50)).ok).toBe(true);
  expect((await late.Ledger.findOne({ _id: 'pay:inkwell:o3' }).lean())?.settlementMonth).toBe('2026-07');

  clock = new Date('2026-07-02T00:00:00+08:00');
  const closed = await late.settlement.close('2026-06');
  expect(closed.statements.map((s) => s.statement.partner)).toEqual(PARTNERS);
  expect(closed.statements[0]).toEqual(firstInkwell);
  expect(firstInkwell.statement).toMatchObject({
    points: { honoured: 500, honouredReturned: 0 },
    reimbursementOwedToPartnerMinor: 450,
  });
  expect(closed.statements[1].statement).toMatchObject({
    points: { issued: 1_000 },
    fundingOwedByPartnerMinor: 1_000,
    liability: { openingPoints: 0, closingPoints: 500 },
  });
  expect(await late.settlement.close('2026-06')).toEqual(closed);

  // Immutable: the stored statements are answered, and the ledger still agrees with them.
  const entries = (await late.Ledger.find({}).lean()).map(toWalletEntry);
  for (const view of closed.statements) {
    expect(await late.settlement.statement(view.statement.partner, '2026-06')).toEqual(view);
    expect(verifyClosedStatement(view.statement, entries, terms, calendar).ok).toBe(true);
  }
  expect((await late.settlement.statement('inkwell', '2026-07')).statement.points.honoured).toBe(50);
});
