import { schemaPath } from '../shared/config/paths.js';
import {
  openServiceDatabase,
  openServiceRedis,
  requirePopulationModel,
  listenOptions,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { closeRedisClient } from '../shared/redis/create-redis-client.js';
import { loadEarningRules } from './domain/earning-rules.js';
import { createBenefitsSubgraph } from './server.js';

await runService('benefits', async ({ env, registry, log }) => {
  const model = requirePopulationModel(env);
  const earningRules = loadEarningRules(schemaPath('earning-rules.json'));
  const db = await openServiceDatabase(env, 'benefits');
  const redis = openServiceRedis(env, 'benefits');
  const { service } = await createBenefitsSubgraph({
    registry,
    db,
    model,
    earningRules,
    redis,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) => log.error({ err: error }, 'background work failed'),
  });
  const server = await startSubgraph(service, listenOptions(env));
  return { server, close: async () => (await db.close(), await closeRedisClient(redis)) };
});
