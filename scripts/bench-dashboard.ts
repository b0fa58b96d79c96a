/**
 * npm run bench -- [--requests 200] [--members 2000]
 * Times the member dashboard query through the gateway: the whole federation in this process on free ports,
 * the embedded store (or MONGODB_URI) seeded into databases of its own, requests sent one after another.
 */
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { timeGraphQLQuery, summariseLatencies } from '../tools/local-federation/query-latency.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import { benchRunName, benchSetting, startBenchFederation } from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore tier { code } affinities { category share } } benefits { items { benefit { id title } reason } } } }`;

const { counts } = readCountOptions(
  { requests: 200, members: 2000 },
  'npm run bench -- [--requests 200] [--members 2000]',
);
const { requests, members } = counts;

const { env, registry } = benchSetting();
console.log(`Seeding ${members} members…`);
const { dbs, federation, stop } = await startBenchFederation({
  env,
  registry,
  run: benchRunName('bench'),
  members,
  seed: 42,
  progress: true,
  // One member sends every request: this measures the dashboard, not the rate limit.
  federation: {
    gatewaySettings: { ...env.gateway, rateLimits: { ...env.gateway.rateLimits, enabled: false } },
  },
});
const token = await signDevToken({ role: 'member', memberId: DEMO_MEMBER_ID }, env.auth.jwtSecret!);
const send = (): Promise<number> => timeGraphQLQuery(federation.gatewayUrl, token, DASHBOARD);
try {
  // The seeded events flow to the points ledger in the background; measure once they have.
  console.log('Waiting for the seeded events to be credited…');
  await waitForEventBacklog(dbs);
  for (let i = 0; i < 10; i++) await send(); // warm-up: query plan cache, connections
  const bar = new ProgressBar('dashboard', requests);
  const timings: number[] = [];
  for (let i = 0; i < requests; i++) {
    timings.push(await send());
    bar.update(i + 1);
  }
  console.log(
    `Dashboard query, ${requests} sequential requests through the gateway (${members} members seeded):`,
  );
  console.log(`  ${summariseLatencies(timings)}`);
} finally {
  await stop();
}
