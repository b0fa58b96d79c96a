import {
  openServiceActivityStream,
  openServiceLifecycleStream,
  openServiceCache,
  openServiceDatabase,
  requirePopulationModel,
  listenOptions,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createProfileSubgraph } from './server.js';
import { createNotificationChannel } from '../shared/notifications/create-notification-channel.js';

await runService('profile', async ({ env, registry, log }) => {
  const model = requirePopulationModel(env);
  const db = await openServiceDatabase(env, 'profile');
  const activityStream = openServiceActivityStream(env, 'profile');
  const lifecycleStream = openServiceLifecycleStream(env, 'profile');
  const cache = openServiceCache(env, 'profile');
  const notifications = createNotificationChannel({
    url: env.redisUrl,
    keyPrefix: env.redisKeyPrefix,
    name: 'profile:notifications',
  });
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
