import { partnerSecretOf } from '../shared/config/environment.js';
import {
  listenOptions,
  openServiceActivityStream,
  openServiceLifecycleStream,
  openServiceDatabase,
  openServiceRateLimiter,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createBrandSubgraph } from './server.js';

// One instance per partner: PARTNER names its registry entry.
await runService('brand', async ({ env, registry, log }) => {
  const partner = env.partner ? registry.byKey.get(env.partner) : undefined;
  if (!partner) {
    throw new Error(
      `PARTNER must name a partner in the registry (${[...registry.byKey.keys()].join(', ')}); got "${env.partner ?? ''}".`,
    );
  }
  const partnerSecret = partnerSecretOf(env, partner.key);
  const db = await openServiceDatabase(env, `brand_${partner.key}`);
  const activityStream = openServiceActivityStream(env, `brand-${partner.key}`);
  const lifecycleStream = openServiceLifecycleStream(env, `brand-${partner.key}`);
  const rateLimiter = openServiceRateLimiter(env, 'ingest', (error) =>
    log.warn({ err: error }, 'rate limit decided in-process'),
  );
  const { service } = await createBrandSubgraph({
    partner,
    db,
    activityStream,
    lifecycleStream,
    partnerSecret,
    ingestRateLimit: { limiter: rateLimiter, limit: env.ingestRateLimit },
    internalTokenSecret: env.auth.internalTokenSecret,
    eventRetentionDays: env.eventRetentionDays,
    onWorkerError: (error) => log.error({ err: error, partner: partner.key }, 'background work failed'),
  });
  const server = await startSubgraph(service, listenOptions(env));
  return {
    server,
    close: async () => (
      await db.close(),
      await activityStream.close(),
      await lifecycleStream.close(),
      await rateLimiter.close()
    ),
  };
});
