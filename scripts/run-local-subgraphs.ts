/**
 * The subgraphs of `npm start`, together in one process (started by scripts/dev.ts after the store and the
 * demo data are ready): every brand, profile and benefits on its documented port. Sharing the process lets
 * them share the in-process stream, cache and notifications when REDIS_URL is not set.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { serviceLogger } from '../subgraphs/shared/observability/logger.js';
import {
  openServiceActivityStream,
  openServiceCache,
  openServiceNotifications,
  openServiceRateLimiter,
} from '../subgraphs/shared/service-entrypoint.js';
import { announceReady, stopWhenSupervisorGone } from '../subgraphs/shared/supervised-process.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import {
  populationModelPath,
  readPopulationModelIfPresent,
} from '../tools/local-federation/population-model-file.js';
import { environmentSecrets, startLocalSubgraphs } from '../tools/local-federation/start-local-federation.js';

const env = readEnvironment();
const log = serviceLogger('subgraphs');
if (!env.mongodbUri) throw new Error('MONGODB_URI is required: `npm start` sets it to the store it started.');
const registry = loadPartnerRegistry(partnerRegistryPath());
const model = readPopulationModelIfPresent(populationModelPath(env));
if (!model)
  throw new Error(`No population model at ${populationModelPath(env)}: \`npm start\` writes one first.`);
const dbs = await openFederationDatabases(env.mongodbUri, env.mongodbDbPrefix, registry, {
  serverSelectionTimeoutMs: env.mongoServerSelectionTimeoutMs,
});

const activityStream = openServiceActivityStream(env, 'local-federation');
const cache = openServiceCache(env, 'local-federation');
const notifications = openServiceNotifications(env, 'local-federation');
log.info(env.redisUrl ? 'Redis at REDIS_URL' : 'in-process stream and cache (set REDIS_URL for Redis)');
const ingestRateLimiter = openServiceRateLimiter(env, 'ingest', (error) =>
  log.warn({ err: error }, 'rate limit decided in-process'),
);
const subgraphs = await startLocalSubgraphs({
  registry,
  dbs,
  model,
  ...environmentSecrets(env),
  activityStream,
  cache,
  notifications,
  modelPollMs: env.modelPollSeconds * 1000,
  onWorkerError: (error) => log.error({ err: error }, 'background work failed'),
  ports: process.argv.includes('--ephemeral-ports') ? 'ephemeral' : 'default',
  host: env.host,
  introspection: env.nodeEnv !== 'production',
  ingestRateLimit: { limiter: ingestRateLimiter, limit: env.ingestRateLimit },
});

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await subgraphs.stop();
  await Promise.all([
    activityStream.close(),
    cache.close(),
    notifications.close(),
    ingestRateLimiter.close(),
  ]);
  await dbs.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
stopWhenSupervisorGone(() => void stop());
announceReady(subgraphs.subgraphUrls);
