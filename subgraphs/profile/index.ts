import {
  openServiceActivityStream,
  openServiceLifecycleStream,
  openServiceCache,
  openServiceNotifications,
  openServiceDatabase,
  requirePopulationModel,
  listenOptions,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createProfileSubgraph } from './server.js';

await runService('profile', async ({ env, registry, log }) => {
  const model = requirePopulationModel(env);
  const db = await openServiceDatabase(env, 'profile');
  const activityStream = openServiceActivityStream(env, 'profile');
  const lifecycleStream = openServiceLifecycleStream(env, 'profile');
  const cache = openServiceCache(env, 'profile');
  const notifications = openServiceNotifications(env, 'profile');
  const { service } = await createProfileSubgraph({
    registry,
    db,
    model,
    activityStream,
    lifecycleStream,
    cache,
    notifications,
    modelPollMs: env.modelPollSeconds * 1000,
    erasureRetryMs: env.erasureRetrySeconds * 1000,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) => log.error({ err: error }, 'background work failed'),
  });
  const server = await startSubgraph(service, listenOptions(env));
  return {
    server,
    close: async () => {
      await db.close();
      await Promise.all([
        activityStream.close(),
        lifecycleStream.close(),
        cache.close(),
        notifications.close(),
      ]);
    },
  };
});
