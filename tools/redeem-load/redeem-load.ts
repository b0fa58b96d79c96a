import type { Connection } from 'mongoose';
import {
  PointsLedger,
  pointsLedgerModel,
  toWalletEntry,
} from '../../subgraphs/benefits/data/points-ledger.js';
import type { PointsLedgerEntry } from '../../subgraphs/benefits/data/points-ledger.js';
import { payWithPoints } from '../../subgraphs/benefits/data/points-payments.js';
import { PointsWallet } from '../../subgraphs/benefits/data/points-wallet.js';
import { RedemptionRefused, Redemptions } from '../../subgraphs/benefits/data/redemptions.js';
import { WalletStore, walletCollection } from '../../subgraphs/benefits/data/wallet-store.js';
import { SEED_CHECKOUT_RULES, checkoutTermsFor } from '../../subgraphs/benefits/domain/checkout-terms.js';
import { SEED_EARNING_RULES } from '../../subgraphs/benefits/domain/earning-rules.js';
import { expiryRule } from '../../subgraphs/benefits/domain/expiry-policy.js';
import { availablePoints } from '../../subgraphs/benefits/domain/points-lot.js';
import type { RedemptionTerms } from '../../subgraphs/benefits/domain/redemption-terms.js';
import {
  monthlyStatement,
  partnersInMonth,
  programmeLiability,
  settlementTermsFrom,
} from '../../subgraphs/benefits/domain/settlement-statement.js';
import { reconcileWallet } from '../../subgraphs/benefits/domain/wallet-reconciliation.js';
import { createProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import { SeededRandom } from '../seed/seeded-random.js';

/**
 * Concurrent redemptions and checkout payments against the real stores (wallet, redemption protocol,
 * stock), each call sent twice at once with the same idempotency key, some for a benefit that runs out
 * and some for more points than the member has; then the invariants are checked from the stores.
 * `npm run bench:redeem` prints the figures; a jest test runs a smaller load on every CI run.
 */

const DAY_MS = 86_400_000;
const HONOURED_BY = 'inkwell';
const FUNDED_BY = 'mindspark';

const benefit = (code: string, pointsCost: number, stockTotal: number | null): RedemptionTerms => ({
  code,
  title: code,
  honouredBy: HONOURED_BY,
  fundedBy: HONOURED_BY,
  eligibleTiers: ['BASIC', 'CLASSIC', 'GOLD', 'DIAMOND'],
  pointsCost,
  pointsCostByTier: {},
  stockTotal,
  stockPerPeriod: null,
  perMemberLimit: null,
  validFrom: null,
  validUntil: null,
  voucherValidDays: 30,
});

export interface RedeemLoadOptions {
  connection: Connection;
  /** Distinct calls (each is sent twice). */
  calls: number;
  members: number;
  /** Most requests in flight at once. */
  concurrency: number;
  /** Units of the scarce benefit: far fewer than the calls for it, so most find it out of stock. */
  scarceStock: number;
  seed?: number;
}

export interface RedeemLoadReport {
  calls: number;
  requests: number;
  elapsedMs: number;
  /** Calls that redeemed or paid (counted once per key). */
  applied: { redemptions: number; payments: number };
  outcomes: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  invariants: {
    membersBelowZero: number;
    stockBelowZero: number;
    stockMismatch: number;
    keysAppliedTwice: number;
    retriesAnsweredDifferently: number;
    walletsNotMatchingLedger: number;
    settlementMinusLedgerPoints: number;
    liabilityMinusLots: number;
  };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function inPool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

export async function runRedeemLoad(options: RedeemLoadOptions): Promise<RedeemLoadReport> {
  const { connection } = options;
  const seeded = new SeededRandom(options.seed ?? 7);
  const random = () => seeded.next();
  const calendar = createProgrammeCalendar();
  const now = () => new Date();
  const Ledger = pointsLedgerModel(connection);
  await Ledger.init();
  const ledger = new PointsLedger(Ledger);
  const store = new WalletStore(walletCollection(connection), ledger, { now, calendar, maxAttempts: 200 });
  await store.init();
  const wallet = new PointsWallet(store, expiryRule(SEED_EARNING_RULES.expiry, calendar));
  const redemptions = new Redemptions(connection, store, {
    now,
    calendar,
    cancelWindowMs: SEED_EARNING_RULES.redemption.cancelWindowDays * DAY_MS,
  });
  await redemptions.init();
  const checkout = checkoutTermsFor(HONOURED_BY, SEED_CHECKOUT_RULES);
  const catalogue = [
    benefit('LOAD-SCARCE', 300, options.scarceStock),
    benefit('LOAD-PLENTY', 200, null),
    benefit('LOAD-DEAR', 50_000, null),
  ];

  const members = Array.from({ length: options.members }, (_, i) => `M-load-${String(i).padStart(4, '0')}`);
  const earnedAt = new Date(Date.now() - 30 * DAY_MS);
  await inPool(
    members.map(
      (memberId) => () =>
        wallet.applyActivity(memberId, [
          wallet.earnOperation({
            key: `${FUNDED_BY}:load-${memberId}`,
            memberId,
            partner: FUNDED_BY,
            points: 2_000 + Math.floor(random() * 20) * 500,
            occurredAt: earnedAt,
            availableAt: earnedAt,
            orderRef: null,
            sourceEventId: `load-${memberId}`,
          }),
        ]),
    ),
    options.concurrency,
  );

  type Call = { kind: 'redeem' | 'pay'; memberId: string; key: string; run: () => Promise<string> };
  const calls: Call[] = Array.from({ length: options.calls }, (_, i) => {
    const memberId = members[Math.floor(random() * members.length)];
    const key = `load-${i}`;
    if (random() < 0.7) {
      const terms = catalogue[random() < 0.5 ? 0 : random() < 0.9 ? 1 : 2];
      const input = { memberId, benefitId: terms.code, quantity: 1, idempotencyKey: key };
      return {
        kind: 'redeem',
        memberId,
        key,
        run: async () => {
          const done = await redemptions.redeem(input, terms, 'BASIC');
          return `${done.status}:${done._id}`;
        },
      };
    }
    const request = {
      memberRef: memberId,
      orderId: key,
      orderAmountMinor: 100_000,
      points: (1 + Math.floor(random() * 40)) * 100,
      idempotencyKey: key,
      tier: 'BASIC' as const,
      occurredAt: now(),
    };
    return {
      kind: 'pay',
      memberId,
      key,
      run: async () => {
        const paid = await payWithPoints(store, request, checkout, calendar);
        return paid.ok ? `PAID:${paid.value.points}` : paid.refusal.code;
      },
    };
  });

  const latencies: number[] = [];
  const timed = (call: Call) => async (): Promise<string> => {
    const started = performance.now();
    try {
      return await call.run();
    } catch (error) {
      return error instanceof RedemptionRefused ? error.refusal.code : `ERROR:${(error as Error).name}`;
    } finally {
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  // Each call and its retry go out together: the worst case for idempotency.
  const answers = await inPool(
    calls.map((call) => async () => Promise.all([timed(call)(), timed(call)()])),
    Math.max(1, Math.floor(options.concurrency / 2)),
  );
  const elapsedMs = performance.now() - started;

  const outcomes: Record<string, number> = {};
  let retriesAnsweredDifferently = 0;
  const applied = { redemptions: 0, payments: 0 };
  answers.forEach(([first, retry], i) => {
    const label = first.split(':')[0];
    outcomes[label] = (outcomes[label] ?? 0) + 1;
    if (first !== retry) retriesAnsweredDifferently += 1;
    if (label === 'CONFIRMED') applied.redemptions += 1;
    if (label === 'PAID' && calls[i].kind === 'pay') applied.payments += 1;
  });

  // Invariants, read back from the stores.
  const at = now();
  const wallets = await walletCollection(connection)
    .find({ _id: { $in: members } })
    .toArray();
  const rows = await Ledger.find({ memberId: { $in: members } }).lean<PointsLedgerEntry[]>();
  const entries = rows.map(toWalletEntry);
  const byMember = new Map<string, typeof entries>();
  for (const e of entries) byMember.set(e.memberId, [...(byMember.get(e.memberId) ?? []), e]);
  const membersBelowZero = wallets.filter(
    (w) => availablePoints(w.lots, at) < 0 || w.lots.some((lot) => lot.remaining < 0),
  ).length;
  const walletsNotMatchingLedger = wallets.filter(
    (w) => reconcileWallet({ lots: w.lots, entries: byMember.get(w._id) ?? [] }).length > 0,
  ).length;

  const stock = await redemptions.Stock.find({}).toArray();
  const confirmed = await redemptions.Redemptions.find({ status: 'CONFIRMED' }).toArray();
  let stockBelowZero = 0;
  let stockMismatch = 0;
  for (const terms of catalogue.filter((t) => t.stockTotal !== null)) {
    const used = stock.find((s) => s._id === terms.code)?.used ?? 0;
    if (used > terms.stockTotal!) stockBelowZero += 1;
    const units = confirmed.filter((r) => r.benefitId === terms.code).reduce((s, r) => s + r.quantity, 0);
    if (units !== used) stockMismatch += 1;
  }
  const redeemKeys = new Map<string, number>();
  for (const e of entries.filter((e) => e.kind === 'redeem')) {
    const key = e.orderRef ?? e.id;
    redeemKeys.set(key, (redeemKeys.get(key) ?? 0) + 1);
  }
  const keysAppliedTwice =
    [...redeemKeys.values()].filter((n) => n > 1).length +
    Math.abs(redeemKeys.size - applied.redemptions - applied.payments);

  const terms = settlementTermsFrom(new Map());
  const month = calendar.monthKey(at);
  const partners = partnersInMonth(entries, month, calendar);
  const statements = partners.map((p) => monthlyStatement(p, month, entries, terms, calendar));
  const spentPerSettlement = statements.reduce(
    (sum, s) => sum + s.points.honoured - s.points.honouredReturned,
    0,
  );
  const spentPerLedger = -entries
    .filter((e) => e.kind === 'redeem' || e.kind === 'return')
    .reduce((sum, e) => sum + e.points, 0);
  const lotsHeld = wallets.flatMap((w) => w.lots).reduce((sum, lot) => sum + lot.remaining, 0);

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    calls: options.calls,
    requests: latencies.length,
    elapsedMs,
    applied,
    outcomes,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
    invariants: {
      membersBelowZero,
      stockBelowZero,
      stockMismatch,
      keysAppliedTwice,
      retriesAnsweredDifferently,
      walletsNotMatchingLedger,
      settlementMinusLedgerPoints: spentPerSettlement - spentPerLedger,
      liabilityMinusLots: programmeLiability(month, entries, terms, calendar).totalPoints - lotsHeld,
    },
  };
}
