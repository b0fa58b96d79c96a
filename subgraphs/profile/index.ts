import {
  openServiceDatabase,
  openServiceRedis,
  requirePopulationModel,
  listenOptions,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { closeRedisClient } from '../shared/redis/create-redis-client.js';
import { createProfileSubgraph } from './server.js';

await runService('profile', async ({ env, registry, log }) => {
  const model = requirePopulationModel(env);
  const db = await openServiceDatabase(env, 'profile');
  const redis = openServiceRedis(env, 'profile');
  const { service } = await createProfileSubgraph({
    registry,
    db,
    model,
    redis,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) => log.error({ err: error }, 'background work failed'),
  });
  const server = await startSubgraph(service, listenOptions(env));
  return { server, close: async () => (await db.close(), await closeRedisClient(redis)) };
});
