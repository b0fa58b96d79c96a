/**
 * npm start
 * Runs the whole federation in one process: the embedded MongoDB (unless MONGODB_URI), demo data seeded when
 * the store is empty, every subgraph on its own port and the gateway on PORT (4000). Ctrl-C stops it cleanly.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { operationManifestPath, partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { loadOperationManifest } from '../gateway/persisted-queries/operation-manifest.js';
import {
  openServiceActivityStream,
  openServiceCache,
  openServiceNotifications,
  openServiceRateLimiter,
} from '../subgraphs/shared/service-entrypoint.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { mongoEndpoint } from '../tools/local-federation/mongo-endpoint.js';
import {
  populationModelPath,
  readPopulationModelIfPresent,
  writePopulationModel,
} from '../tools/local-federation/population-model-file.js';
import {
  environmentSecrets,
  startLocalFederation,
} from '../tools/local-federation/start-local-federation.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { formatSeedSummary, seedFederation } from '../tools/seed/seed-federation.js';
import { trainPopulationModel } from '../tools/seed/train-population-model.js';
import { IntelligenceStore, intelligenceModels } from '../subgraphs/profile/data/intelligence-store.js';
import { trainIntelligence } from '../subgraphs/profile/training/train-intelligence.js';
import { formatTrainingSummary } from '../subgraphs/profile/training/training-summary.js';
import { TierStore } from '../subgraphs/profile/data/tier-store.js';

const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const mongo = await mongoEndpoint(env);
console.log(
  mongo.embedded
    ? `Embedded MongoDB at ${mongo.uri} (data kept in ${mongo.dataDir})`
    : 'MongoDB at MONGODB_URI',
);
const dbs = await openFederationDatabases(mongo.uri, env.mongodbDbPrefix, registry, {
  serverSelectionTimeoutMs: env.mongoServerSelectionTimeoutMs,
});

const modelPath = populationModelPath(env);
let model = readPopulationModelIfPresent(modelPath);
const memberCount = await dbs.profile.connection.collection('members').estimatedDocumentCount();
if (memberCount === 0) {
  console.log('The store is empty: seeding 2000 demo members (seed 42)…');
  const seeded = await seedFederation(registry, dbs, {
    members: 2000,
    seed: 42,
    now: new Date(),
    progress: true,
  });
  console.log(formatSeedSummary(seeded.summary, seeded.model));
  model = seeded.model;
  writePopulationModel(modelPath, model);
} else if (!model) {
  console.log('No population model yet: fitting one on the stored members…');
  model = await trainPopulationModel(
    registry,
    dbs.profile.connection,
    new Map([...dbs.brands].map(([k, d]) => [k, d.connection])),
    new Date(),
  );
  writePopulationModel(modelPath, model);
}

const intelligenceStore = new IntelligenceStore(intelligenceModels(dbs.profile.connection));
await intelligenceStore.init();
if (!(await intelligenceStore.currentVersion())) {
  console.log('No member-intelligence model yet: training one (`npm run train` refits it later)…');
  const started = Date.now();
  const trained = await trainIntelligence({
    registry,
    profileDb: dbs.profile.connection,
    brandDbs: new Map([...dbs.brands].map(([k, d]) => [k, d.connection])),
    store: intelligenceStore,
    tiers: { store: new TierStore(dbs.profile.connection), populationModel: model },
    now: new Date(),
    seed: 42,
    onProgress: (line) => console.log(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
  });
  console.log(formatTrainingSummary(trained));
}

// Every service runs in this process, so they share one stream, one cache and one notification channel:
// on REDIS_URL, or in-process.
const activityStream = openServiceActivityStream(env, 'local-federation');
const cache = openServiceCache(env, 'local-federation');
const notifications = openServiceNotifications(env, 'local-federation');
console.log(env.redisUrl ? 'Redis at REDIS_URL' : 'In-process stream and cache (set REDIS_URL for Redis)');
const rateLimitFallback = (error: Error) => console.error(`rate limit decided in-process: ${error.message}`);
const gatewayRateLimiter = openServiceRateLimiter(env, 'gateway', rateLimitFallback);
const ingestRateLimiter = openServiceRateLimiter(env, 'ingest', rateLimitFallback);
const federation = await startLocalFederation({
  registry,
  dbs,
  model,
  ...environmentSecrets(env),
  activityStream,
  cache,
  notifications,
  modelPollMs: env.modelPollSeconds * 1000,
  onWorkerError: (error) => console.error(`background work failed: ${(error as Error).message}`),
  ports: 'default',
  gatewayPort: env.port,
  host: env.host,
  introspection: env.nodeEnv !== 'production',
  gatewaySettings: env.gateway,
  explorer: {
    enabled: env.explorer.enabled,
    devTokensFor: env.explorer.offerDevTokens ? { memberId: DEMO_MEMBER_ID } : undefined,
  },
  gatewayRateLimiter,
  ingestRateLimit: { limiter: ingestRateLimiter, limit: env.ingestRateLimit },
  operationManifest: env.gateway.persistedQueries.safelist
    ? loadOperationManifest(operationManifestPath())
    : undefined,
});

const token = await signDevToken({ role: 'member', memberId: DEMO_MEMBER_ID }, env.auth.jwtSecret!, {
  issuer: env.auth.issuer,
  audience: env.auth.audience,
});
const sample = `{ me { id displayName mindspark { brandMemberId localTier } profile { compositeScore tier { code name } tierProgress { hint } segment { label } recommendations(first: 3) { partner category reason } affinities { category share } explanation } benefits { items { benefit { id title partner } reason } } } }`;
console.log(`
Gateway:      ${federation.gatewayUrl}
Health:       ${federation.gatewayUrl.replace('/graphql', '/health')}
GraphiQL:     ${env.explorer.enabled ? federation.gatewayUrl.replace('/graphql', '/graphiql') : 'off (EXPLORER_ENABLED=true)'}
Console:      ${env.explorer.enabled ? federation.gatewayUrl.replace('/graphql', '/console') : 'off (EXPLORER_ENABLED=true)'}
Subgraphs:    ${Object.entries(federation.subgraphUrls)
  .map(([name, url]) => `${name} ${url}`)
  .join('\n              ')}

Dev token for ${DEMO_MEMBER_ID} (12 h; more with \`npm run token\`):
${token}

Try it:
curl -s ${federation.gatewayUrl} \\
  -H 'content-type: application/json' \\
  -H 'authorization: Bearer ${token}' \\
  -d '${JSON.stringify({ query: sample })}'

Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the gateway and subgraphs…`);
  await federation.stop();
  await Promise.all([
    activityStream.close(),
    cache.close(),
    notifications.close(),
    gatewayRateLimiter.close(),
    ingestRateLimiter.close(),
  ]);
  await dbs.close();
  if (mongo.embedded) console.log(`Saving the embedded store to ${mongo.dataDir}…`);
  await mongo.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
