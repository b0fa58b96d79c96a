import {
  openServiceActivityStream,
  openServiceCache,
  openServiceDatabase,
  requirePopulationModel,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createProfileSubgraph } from './server.js';

await runService('profile subgraph', async ({ env, registry }) => {
  const model = requirePopulationModel(env);
  const db = await openServiceDatabase(env, 'profile');
  const activityStream = openServiceActivityStream(env, 'profile');
  const cache = openServiceCache(env, 'profile');
  const { service } = await createProfileSubgraph({
    registry,
    db,
    model,
    activityStream,
    cache,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) => console.error(`profile background work failed: ${(error as Error).message}`),
  });
  const server = await startSubgraph(service, { port: env.port, host: env.host });
  return { server, close: async () => (await db.close(), await activityStream.close(), await cache.close()) };
});
