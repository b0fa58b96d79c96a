import { schemaPath } from '../shared/config/paths.js';
import { databaseName } from '../shared/db/mongo-connection.js';
import {
  openServiceActivityStream,
  openServiceCache,
  openServiceLifecycleStream,
  openServiceNotifications,
  openServiceDatabase,
  requirePopulationModel,
  listenOptions,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { loadEarningRules } from './domain/earning-rules.js';
import { createBenefitsSubgraph } from './server.js';

await runService('benefits', async ({ env, registry, log }) => {
  const model = requirePopulationModel(env);
  const earningRules = loadEarningRules(schemaPath('earning-rules.json'));
  const db = await openServiceDatabase(env, 'benefits');
  const activityStream = openServiceActivityStream(env, 'benefits');
  const lifecycleStream = openServiceLifecycleStream(env, 'benefits');
  // Wallet changes advance the members' response generations the gateway reads; only Redis reaches it.
  const responseGenerations = env.redisUrl ? openServiceCache(env, 'benefits') : undefined;
  // Catalogue changes between the service's processes (Redis pub/sub; in-process without REDIS_URL).
  const notifications = openServiceNotifications(env, 'benefits');
  // The sweep reads each brand's published events; the brand databases share the benefits connection's pool.
  const brandConnections = new Map(
    registry.partners.map((p) => [
      p.key,
      db.connection.useDb(databaseName(env.mongodbDbPrefix, `brand_${p.key}`), { useCache: true }),
    ]),
  );
  const { service } = await createBenefitsSubgraph({
    registry,
    db,
    // Checkouts read which partners a member is linked to from the profile database (read-only).
    profileConnection: db.connection.useDb(databaseName(env.mongodbDbPrefix, 'profile'), { useCache: true }),
    model,
    earningRules,
    activityStream,
    lifecycleStream,
    responseGenerations,
    notifications,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) => log.error({ err: error }, 'background work failed'),
    reconciliation: {
      brandConnections,
      settings: env.reconciliation,
      onReport: (report) => {
        for (const brand of report.brands)
          if (brand.missing > 0) log.warn(brand, 'reconciliation republished events missing from the ledger');
      },
    },
  });
  const server = await startSubgraph(service, listenOptions(env));
  return {
    server,
    close: async () => {
      await db.close();
      await Promise.all([
        activityStream.close(),
        lifecycleStream.close(),
        responseGenerations?.close(),
        notifications.close(),
      ]);
    },
  };
});
