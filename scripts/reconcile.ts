/**
 * npm run reconcile -- [--since 2026-03-01T00:00:00Z] [--partner pulsefit] [--dry-run]
 * Runs the reconciliation sweep once (the benefits service also runs it every RECONCILE_INTERVAL_SECONDS):
 * for each brand, the events published since the watermark (or `--since`) are compared with the points
 * ledger, and those missing are published again. `--dry-run` counts without publishing or moving watermarks.
 * Needs MONGODB_URI and REDIS_URL: the stores of a deployment (the embedded store of `npm start` lives inside
 * that process, whose own sweep covers it).
 */
import { createLedgerReconciler } from '../subgraphs/benefits/events/create-ledger-reconciler.js';
import type { BrandReconciliation } from '../subgraphs/benefits/events/ledger-reconciler.js';
import { loadEarningRules } from '../subgraphs/benefits/domain/earning-rules.js';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath, schemaPath } from '../subgraphs/shared/config/paths.js';
import { databaseName, openDatabase } from '../subgraphs/shared/db/mongo-connection.js';
import { createActivityStream } from '../subgraphs/shared/streams/create-activity-stream.js';
import { readCliOptions } from './cli-options.js';
import { parseReconcileOptions } from './reconcile-options.js';

const usage = 'npm run reconcile -- [--since ISO-8601] [--partner KEY] [--dry-run]';
const raw = readCliOptions(
  { since: { type: 'string' }, partner: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  usage,
);
const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const parsed = parseReconcileOptions(
  {
    since: raw.since as string | undefined,
    partner: raw.partner as string | undefined,
    dryRun: (raw['dry-run'] as boolean | undefined) ?? false,
  },
  { partners: registry.partners.map((p) => p.key), now: new Date() },
);
if (!parsed.ok) {
  console.error(`${parsed.error}\nUsage: ${usage}`);
  process.exit(2);
}
const options = parsed.options;
if (!env.mongodbUri) {
  console.error(
    'MONGODB_URI is required: the sweep reads the stores of a deployment. (Under `npm start` the embedded store ' +
      'lives inside that process, and its benefits service runs the sweep every RECONCILE_INTERVAL_SECONDS.)',
  );
  process.exit(2);
}
if (!env.redisUrl && !options.dryRun) {
  console.error('REDIS_URL is required to republish (or pass --dry-run to count only).');
  process.exit(2);
}

const db = await openDatabase(env.mongodbUri, databaseName(env.mongodbDbPrefix, 'benefits'));
const stream = createActivityStream({ url: env.redisUrl, keyPrefix: env.redisKeyPrefix, name: 'reconcile' });
try {
  const reconciler = createLedgerReconciler({
    registry,
    benefits: db.connection,
    brandConnections: new Map(
      registry.partners.map((p) => [
        p.key,
        db.connection.useDb(databaseName(env.mongodbDbPrefix, `brand_${p.key}`), { useCache: true }),
      ]),
    ),
    stream,
    rules: loadEarningRules(schemaPath('earning-rules.json')),
    timing: env.reconciliation,
  });
  const started = Date.now();
  console.log(
    `${options.dryRun ? 'Counting (dry run)' : 'Reconciling'} the points ledger against ${
      options.partner ?? 'every brand'
    }${options.since ? ` since ${options.since.toISOString()}` : ' since each brand’s watermark'}…`,
  );
  const report = await reconciler.run({
    since: options.since,
    dryRun: options.dryRun,
    partners: options.partner ? [options.partner] : undefined,
    onProgress: (p) => process.stderr.write(`\r  ${p.partner}: ${p.scanned} scanned, ${p.missing} missing`),
  });
  process.stderr.write('\n');
  const line = (b: Pick<BrandReconciliation, 'scanned' | 'expected' | 'missing' | 'republished'>) =>
    `${String(b.scanned).padStart(9)} ${String(b.expected).padStart(9)} ${String(b.missing).padStart(8)} ${String(b.republished).padStart(12)}`;
  console.log(`${'brand'.padEnd(12)}  scanned  expected  missing  republished  window`);
  for (const b of report.brands) {
    const window = b.from ? `${b.from.toISOString()} → ${b.until!.toISOString()}` : 'nothing old enough yet';
    console.log(
      `${b.partner.padEnd(12)}${line(b)}  ${window}${b.complete ? '' : ' (stopped at the run limit)'}`,
    );
  }
  const total = report.brands.reduce(
    (sum, b) => ({
      scanned: sum.scanned + b.scanned,
      expected: sum.expected + b.expected,
      missing: sum.missing + b.missing,
      republished: sum.republished + b.republished,
    }),
    { scanned: 0, expected: 0, missing: 0, republished: 0 },
  );
  console.log(`${'total'.padEnd(12)}${line(total)}`);
  console.log(
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${total.missing} event(s) missing from the ledger, ${
      options.dryRun ? 'none republished (dry run)' : `${total.republished} republished`
    }.`,
  );
} finally {
  await stream.close();
  await db.close();
}
