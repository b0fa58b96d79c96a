import { partnerSecretOf } from '../shared/config/environment.js';
import { openServiceActivityStream, openServiceDatabase, runService } from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createBrandSubgraph } from './server.js';

// One instance per partner: PARTNER names its registry entry.
await runService('brand subgraph', async ({ env, registry }) => {
  const partner = env.partner ? registry.byKey.get(env.partner) : undefined;
  if (!partner) {
    throw new Error(
      `PARTNER must name a partner in the registry (${[...registry.byKey.keys()].join(', ')}); got "${env.partner ?? ''}".`,
    );
  }
  const partnerSecret = partnerSecretOf(env, partner.key);
  const db = await openServiceDatabase(env, `brand_${partner.key}`);
  const activityStream = openServiceActivityStream(env, `brand-${partner.key}`);
  const { service } = await createBrandSubgraph({
    partner,
    db,
    activityStream,
    partnerSecret,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) =>
      console.error(`${partner.key} background work failed: ${(error as Error).message}`),
  });
  const server = await startSubgraph(service, { port: env.port, host: env.host });
  return { server, close: async () => (await db.close(), await activityStream.close()) };
});
