/**
 * npm run bench:analytics -- [--members 20000] [--runs 5]
 * Times each operator analytics query (the console's charts) through the gateway over a seeded population:
 * the whole federation in this process on free ports, the embedded store (or MONGODB_URI) seeded into
 * databases of its own, the seeded events credited to the points ledger first. Each query runs once to warm
 * up, then `runs` times one after another. The gateway waits up to a minute for each subgraph (its
 * production timeouts are for member-facing queries), so that slow figures are measured rather than cut.
 */
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { summariseLatencies, timeGraphQLQuery } from '../tools/local-federation/query-latency.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { benchRunName, benchSetting, startBenchFederation } from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const { counts } = readCountOptions(
  { members: 20_000, runs: 5 },
  'npm run bench:analytics -- [--members 20000] [--runs 5]',
);
const { members, runs } = counts;

const { env, registry } = benchSetting();
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

console.log(`Seeding ${members} members…`);
const { dbs, federation, seedMs, stop } = await startBenchFederation({
  env,
  registry,
  run: benchRunName('bench'),
  members,
  seed: 42,
  now,
  progress: true,
  federation: {
    gatewaySettings: {
      ...env.gateway,
      fetch: {
        ...env.gateway.fetch,
        timeoutMs: { brand: 60_000, profile: 60_000, benefits: 60_000 },
        requestBudgetMs: 120_000,
      },
    },
  },
});
console.log(`\nSeeded in ${(seedMs / 1000).toFixed(0)} s.`);
const token = await signDevToken({ role: 'admin', subject: 'bench' }, env.auth.jwtSecret!);

const timeQuery = (selection: string): Promise<number> =>
  timeGraphQLQuery(
    federation.gatewayUrl,
    token,
    `query($from: DateTime!, $to: DateTime!) { programmeAnalytics(from: $from, to: $to) { ${selection} } }`,
    variables,
  );

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
  await stop();
}
