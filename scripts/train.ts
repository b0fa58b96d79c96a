/**
 * npm run train -- [--seed 42] [--now 2026-01-01T00:00:00Z] [--period-months 1] [--grace-periods 1]
 * Fits the member-intelligence model (RFM, value segments, lifetime value, churn, recommendations) from the
 * stores, writes the new version to the profile database and announces it: running profile subgraphs switch
 * to it without a restart (at once on REDIS_URL, within the poll interval otherwise). The same data, time and
 * seed give the same version. It is also the scheduled tier evaluation: every member's tier against the frozen
 * population model (POPULATION_MODEL_PATH), stored with its history; a member whose score falls keeps the tier
 * for `--grace-periods` evaluation periods of `--period-months`. With the embedded store, stop `npm start` first (it holds the data directory).
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { createNotificationChannel } from '../subgraphs/shared/notifications/create-notification-channel.js';
import { intelligenceModels, IntelligenceStore } from '../subgraphs/profile/data/intelligence-store.js';
import { trainIntelligence } from '../subgraphs/profile/training/train-intelligence.js';
import { formatTrainingSummary } from '../subgraphs/profile/training/training-summary.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { mongoEndpoint } from '../tools/local-federation/mongo-endpoint.js';
import { positiveInteger, readCliOptions, stringFlags } from './cli-options.js';
import { TierStore } from '../subgraphs/profile/data/tier-store.js';
import {
  populationModelPath,
  readPopulationModelIfPresent,
} from '../tools/local-federation/population-model-file.js';

const usage =
  'npm run train -- [--seed 42] [--now 2026-01-01T00:00:00Z] [--period-months 1] [--grace-periods 1]';
const options = readCliOptions(stringFlags('seed', 'now', 'period-months', 'grace-periods'), usage);
const seed = positiveInteger(options.seed as string | undefined, 'seed', 42);
const periodMonths = positiveInteger(options['period-months'] as string | undefined, 'period-months', 1);
const gracePeriods = positiveInteger(options['grace-periods'] as string | undefined, 'grace-periods', 1);
if (![1, 2, 3, 4, 6, 12].includes(periodMonths)) {
  console.error(`--period-months must divide the year (1, 2, 3, 4, 6 or 12); got ${periodMonths}.`);
  process.exit(2);
}
const now = options.now ? new Date(options.now as string) : new Date();
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be an ISO-8601 time such as 2026-01-01T00:00:00Z; got "${options.now}".`);
  process.exit(2);
}

const started = Date.now();
const progress = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const mongo = await mongoEndpoint(env);
progress(mongo.embedded ? `embedded MongoDB, data in ${mongo.dataDir}` : 'MongoDB at MONGODB_URI');
const dbs = await openFederationDatabases(mongo.uri, env.mongodbDbPrefix, registry);
const notifications = createNotificationChannel({
  url: env.redisUrl,
  keyPrefix: env.redisKeyPrefix,
  name: 'train',
});
try {
  const store = new IntelligenceStore(intelligenceModels(dbs.profile.connection));
  await store.init();
  const populationModel = readPopulationModelIfPresent(populationModelPath(env));
  const tierStore = new TierStore(dbs.profile.connection);
  await tierStore.init();
  const summary = await trainIntelligence({
    registry,
    profileDb: dbs.profile.connection,
    brandDbs: new Map([...dbs.brands].map(([key, db]) => [key, db.connection])),
    store,
    notifications: env.redisUrl ? notifications : undefined,
    now,
    seed,
    tiers: populationModel ? { store: tierStore, populationModel, periodMonths, gracePeriods } : undefined,
    onProgress: progress,
  });
  console.log(formatTrainingSummary(summary));
  console.log(
    env.redisUrl
      ? 'Announced on Redis: running profile subgraphs switch to it now.'
      : 'No REDIS_URL: running profile subgraphs switch to it at their next poll (every minute).',
  );
} finally {
  await notifications.close();
  await dbs.close();
  await mongo.stop();
}
