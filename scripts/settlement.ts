/**
 * npm run settlement -- --month 2026-11 [--partner inkwell] [--out DIR]
 * Writes the month's settlement statements as CSV (one line per figure, the same as the `csv` field of
 * `partnerSettlement`): every partner's to stdout under one header, or one file per partner into `--out`.
 * A closed month prints its stored statements; an open one is computed from the ledger as of now. Needs
 * MONGODB_URI: the stores of a deployment. Closing a month is the `closeSettlementMonth` mutation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SettlementMonths,
  SettlementStore,
  registrySettlementTerms,
} from '../subgraphs/benefits/data/settlement-store.js';
import { pointsLedgerModel } from '../subgraphs/benefits/data/points-ledger.js';
import { renderStatementCsv } from '../subgraphs/benefits/domain/statement-csv.js';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { databaseName, openDatabase } from '../subgraphs/shared/db/mongo-connection.js';
import { createProgrammeCalendar, parseMonthKey } from '../subgraphs/shared/domain/programme-calendar.js';
import { readCliOptions } from './cli-options.js';

const usage = 'npm run settlement -- --month YYYY-MM [--partner KEY] [--out DIR]';
const options = readCliOptions(
  { month: { type: 'string' }, partner: { type: 'string' }, out: { type: 'string' } },
  usage,
);
const registry = loadPartnerRegistry(partnerRegistryPath());
const month = options.month as string | undefined;
const fail = (message: string): never => {
  console.error(`${message}\nUsage: ${usage}`);
  process.exit(2);
};
if (!month) fail('--month is required.');
try {
  parseMonthKey(month!);
} catch (error) {
  fail((error as Error).message);
}
const only = options.partner as string | undefined;
if (only && !registry.byKey.has(only)) fail(`--partner: "${only}" is not a partner of the registry.`);
const env = readEnvironment();
if (!env.mongodbUri) fail('MONGODB_URI is required: statements are read from the stores of a deployment.');

const db = await openDatabase(env.mongodbUri!, databaseName(env.mongodbDbPrefix, 'benefits'));
try {
  const calendar = createProgrammeCalendar(registry.programmeTimeZone);
  // Read-only: the months as the benefits service recorded them (it opens each one at start-up and monthly).
  const months = new SettlementMonths(db.connection);
  await months.refresh();
  const store = new SettlementStore(db.connection, pointsLedgerModel(db.connection), months, {
    partners: registry.partners.map((p) => p.key),
    terms: registrySettlementTerms(registry.partners),
    calendar,
    now: () => new Date(),
    // Reading never closes a month, so nothing needs flushing here.
    flushParkedEntries: async () => undefined,
  });
  const partners = only ? [only] : registry.partners.map((p) => p.key);
  const outDir = options.out as string | undefined;
  if (outDir) mkdirSync(outDir, { recursive: true });
  let headerWritten = false;
  for (const partner of partners) {
    const { statement, closedAt } = await store.statement(partner, month!);
    const csv = renderStatementCsv(statement);
    const state = closedAt ? `closed ${closedAt.toISOString()}` : 'open, as of now';
    if (outDir) {
      const file = join(outDir, `settlement-${month}-${partner}.csv`);
      writeFileSync(file, csv);
      console.error(`${file} (${state})`);
    } else {
      // One header for the whole export: each statement's own header line is dropped after the first.
      process.stdout.write(headerWritten ? csv.slice(csv.indexOf('\r\n') + 2) : csv);
      headerWritten = true;
      console.error(`${partner}: ${state}`);
    }
  }
} finally {
  await db.close();
}
