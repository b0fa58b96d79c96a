/**
 * npm run bench:analytics -- [--members 20000] [--runs 5]
 * Times each operator analytics query (the console's charts) through the gateway over a seeded population:
 * the whole federation in this process on free ports, the embedded store (or MONGODB_URI) seeded into
 * databases of its own, the seeded events credited to the points ledger first. Each query runs once to warm
 * up, then `runs` times one after another. The gateway waits up to a minute for each subgraph (its
 * production timeouts are for member-facing queries), so that slow figures are measured rather than cut.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { configureLogging } from '../subgraphs/shared/observability/logger.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { summariseLatencies } from '../tools/local-federation/query-latency.js';
import { openScratchRedis } from '../tools/local-federation/scratch-redis.js';
import {
  environmentSecrets,
  startLocalFederation,
} from '../tools/local-federation/start-local-federation.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { seedFederation } from '../tools/seed/seed-federation.js';
import { positiveInteger, readCliOptions } from './cli-options.js';

const options = readCliOptions(
  { members: { type: 'string' }, runs: { type: 'string' } },
  'npm run bench:analytics -- [--members 20000] [--runs 5]',
);
const members = positiveInteger(options.members as string | undefined, 'members', 20_000);
const runs = positiveInteger(options.runs as string | undefined, 'runs', 5);

const env = readEnvironment();
configureLogging('warn');
const registry = loadPartnerRegistry(partnerRegistryPath());
const partnerFields = registry.partners
  .map((p) => `${p.key} { buyers repeatBuyers repurchaseRate }`)
  .join(' ');
/** One query per chart of the console, and the console's whole query. */
const QUERIES: Record<string, string> = {
  'members (profile)':
    'membership { members joinedByMonth { month members } linkedBrands { brands members } }',
  'cross-brand penetration (ledger)': 'crossBrandPenetration { brands members }',
  'retention cohorts (ledger)': 'retentionCohorts { cohort size retained }',
  'points (ledger)': 'points { issued redeemed expired outstanding monthly { month issued } }',
  'repurchase by partner (4 brands)': partnerFields,
};
QUERIES['whole console'] = Object.values(QUERIES).join(' ');

const now = new Date();
const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, 1));
const variables = { from: from.toISOString(), to: to.toISOString() };

const embedded = env.mongodbUri ? null : await startEmbeddedMongo({ port: 0 });
const dbs = await openFederationDatabases(
  env.mongodbUri ?? embedded!.uri,
  `bench${Date.now().toString(36)}`,
  registry,
);
const seedStarted = Date.now();
console.log(`Seeding ${members} members…`);
const { model } = await seedFederation(registry, dbs, { members, seed: 42, now, progress: true });
console.log(`\nSeeded in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s.`);
const redis = openScratchRedis({
  url: env.redisUrl,
  keyPrefix: `bench:${Date.now().toString(36)}:`,
  onCacheError: (error) => console.error(error.message),
});
const federation = await startLocalFederation({
  registry,
  dbs,
  model,
  ...environmentSecrets(env),
  activityStream: redis.activityStream,
  cache: redis.cache,
  onWorkerError: (error) => console.error(`background work failed: ${(error as Error).message}`),
  ports: 'ephemeral',
  gatewaySettings: {
    ...env.gateway,
    fetch: {
      ...env.gateway.fetch,
      timeoutMs: { brand: 60_000, profile: 60_000, benefits: 60_000 },
      requestBudgetMs: 120_000,
    },
  },
});
const token = await signDevToken({ role: 'admin', subject: 'bench' }, env.auth.jwtSecret!);

async function timeQuery(selection: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(federation.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `query($from: DateTime!, $to: DateTime!) { programmeAnalytics(from: $from, to: $to) { ${selection} } }`,
      variables,
    }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

try {
  const backlogStarted = Date.now();
  console.log('Waiting for the seeded events to be credited to the points ledger…');
  await waitForEventBacklog(dbs, 1_500, 3_600_000);
  const ledger = await dbs.benefits.connection.collection('points_ledger').estimatedDocumentCount();
  console.log(`${ledger} ledger entries after ${((Date.now() - backlogStarted) / 1000).toFixed(0)} s.`);
  console.log(
    `\nprogrammeAnalytics over ${variables.from.slice(0, 10)} .. ${variables.to.slice(0, 10)}, ${members} members, ${runs} runs each after one warm-up:`,
  );
  for (const [name, selection] of Object.entries(QUERIES)) {
    process.stdout.write(`  ${name.padEnd(34)} `);
    await timeQuery(selection);
    const timings: number[] = [];
    for (let i = 0; i < runs; i++) timings.push(await timeQuery(selection));
    console.log(summariseLatencies(timings));
  }
} finally {
  await federation.stop();
  await redis.close();
  await dbs.drop();
  await dbs.close();
  await embedded?.stop();
}
