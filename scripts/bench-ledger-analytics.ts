/**
 * npx tsx scripts/bench-ledger-analytics.ts [members] [runs]
 * The ledger charts of `programmeAnalytics` read from the ledger entries and from the ledger's summaries
 * (`ledger-rollups.ts`), side by side on the same synthetic ledger (about 11.6 entries a member over 400 days,
 * as the seeded population's), without seeding the whole federation: the summaries are built by replaying
 * the ledger, as a deployment's first start does. The embedded store, or MONGODB_URI.
 */
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { SeededRandom } from '../tools/seed/seeded-random.js';
import { summariseLatencies } from '../tools/local-federation/query-latency.js';
import { createProgrammeCalendar } from '../subgraphs/shared/domain/programme-calendar.js';
import { monthKeysOf } from '../subgraphs/shared/domain/analytics-window.js';
import type { LedgerFigures } from '../subgraphs/benefits/data/ledger-analytics.js';
import { LedgerAnalytics } from '../subgraphs/benefits/data/ledger-analytics.js';
import { LedgerRollups } from '../subgraphs/benefits/data/ledger-rollups.js';
import { pointsLedgerModel } from '../subgraphs/benefits/data/points-ledger.js';

const members = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 5);
const DAY_MS = 86_400_000;
const mongo = process.env.MONGODB_URI ? null : await startEmbeddedMongo({ port: 0 });
const uri = process.env.MONGODB_URI ?? mongo!.uri;
const conn = await mongoose.createConnection(`${uri}/benchledger${Date.now().toString(36)}`).asPromise();
const calendar = createProgrammeCalendar('Asia/Shanghai');
const Ledger = pointsLedgerModel(conn);
await Ledger.init();
const rollups = new LedgerRollups(conn, calendar);
await rollups.init();

const random = new SeededRandom(3);
const now = Date.now();
const kinds = ['earn', 'earn', 'earn', 'earn', 'earn', 'earn', 'earn', 'reverse', 'redeem', 'expire'];
const partners = ['inkwell', 'mindspark', 'pulsefit', 'aurora'];
const total = Math.round(members * 11.6);
let started = Date.now();
for (let i = 0; i < total;) {
  const docs = [];
  for (let j = 0; j < 5_000 && i < total; j++, i++) {
    const kind = kinds[random.int(0, kinds.length - 1)];
    const daysAgo = Math.min(400, Math.floor(-Math.log(Math.max(random.next(), 1e-9)) * 120));
    const at = new Date(now - daysAgo * DAY_MS - random.int(0, DAY_MS - 1));
    docs.push({
      _id: `e${i}`,
      memberId: `M${random.int(1, members)}`,
      kind,
      points: kind === 'earn' ? 100 : -50,
      partner: partners[random.int(0, partners.length - 1)],
      sourceEventId: `s${i}`,
      occurredAt: at,
      availableAt: at,
      recordedAt: at,
      settlementMonth: calendar.monthKey(at),
      orderRef: `o${i}`,
      reference: null,
      allocations: [{ lot: `l${i}`, points: 100, expiresAt: at }],
      awaitingPoints: 0,
      unrecoveredPoints: 0,
      payment: null,
      refund: null,
      fingerprint: `fp-${i}`,
    });
  }
  await Ledger.collection.insertMany(docs as never[], { ordered: false });
}
console.log(`${total} ledger entries for ${members} members inserted in ${Date.now() - started} ms.`);
started = Date.now();
await rollups.rebuild(Ledger);
console.log(
  `Summaries replayed in ${((Date.now() - started) / 1000).toFixed(0)} s: ${await rollups.Members.countDocuments()} members, ` +
    `${await rollups.MemberPartners.countDocuments()} member-partners, ${await rollups.Days.countDocuments()} days, ` +
    `${await rollups.Hours.countDocuments()} hours.`,
);

const analytics = new LedgerAnalytics(Ledger, rollups, calendar);
const today = new Date();
const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, 1));
const window = { from, to };
const firstMonth = monthKeysOf(window, (at) => calendar.monthKey(at))[0];
console.log(
  `\nOver ${from.toISOString().slice(0, 10)} .. ${to.toISOString().slice(0, 10)}, ${runs} runs after one warm-up:`,
);
for (const [source, figures] of [
  ['entries', analytics.entries],
  ['summaries', analytics],
] as [string, LedgerFigures][]) {
  const charts: [string, () => Promise<unknown>][] = [
    ['cross-brand penetration', () => figures.penetration(window)],
    ['retention cohorts', () => figures.cohortActivity(window, firstMonth)],
    ['points', () => figures.pointsByKindAndMonth(window)],
  ];
  for (const [name, run] of charts) {
    await run();
    const timings: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await run();
      timings.push(performance.now() - t);
    }
    console.log(`  ${`${name} (${source})`.padEnd(36)} ${summariseLatencies(timings)}`);
  }
}
await conn.dropDatabase();
await conn.close();
await mongo?.stop();
