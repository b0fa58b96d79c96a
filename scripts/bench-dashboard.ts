/**
 * npm run bench -- [--requests 200] [--members 2000]
 * Times the member dashboard query through the gateway: the whole federation in this process on free ports,
 * the embedded store (or MONGODB_URI) seeded into databases of its own, requests sent one after another.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { timeGraphQLQuery, summariseLatencies } from '../tools/local-federation/query-latency.js';
import { openScratchRedis } from '../tools/local-federation/scratch-redis.js';
import {
  environmentSecrets,
  startLocalFederation,
} from '../tools/local-federation/start-local-federation.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { seedFederation } from '../tools/seed/seed-federation.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import { positiveInteger, readCliOptions } from './cli-options.js';
import { configureLogging } from '../subgraphs/shared/observability/logger.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore tier { code } affinities { category share } } benefits { items { benefit { id title } reason } } } }`;

const options = readCliOptions(
  { requests: { type: 'string' }, members: { type: 'string' } },
  'npm run bench -- [--requests 200] [--members 2000]',
);
const requests = positiveInteger(options.requests as string | undefined, 'requests', 200);
const members = positiveInteger(options.members as string | undefined, 'members', 2000);

const env = readEnvironment();
// One log line per request would drown the progress bar and the figures; warnings and errors still show.
configureLogging('warn');
const registry = loadPartnerRegistry(partnerRegistryPath());
const embedded = env.mongodbUri ? null : await startEmbeddedMongo({ port: 0 });
const dbs = await openFederationDatabases(
  env.mongodbUri ?? embedded!.uri,
  `bench${Date.now().toString(36)}`,
  registry,
);
console.log(`Seeding ${members} members…`);
const { model } = await seedFederation(registry, dbs, { members, seed: 42, now: new Date(), progress: true });
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
  // One member sends every request: this measures the dashboard, not the rate limit.
  gatewaySettings: { ...env.gateway, rateLimits: { ...env.gateway.rateLimits, enabled: false } },
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
  await federation.stop();
  await redis.close();
  await dbs.drop();
  await dbs.close();
  await embedded?.stop();
}
