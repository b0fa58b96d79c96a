import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { readFileSync } from 'node:fs';
import { createKeyValueCache } from '../subgraphs/shared/cache/create-key-value-cache.js';
import { operationManifestPath, supergraphPath } from '../subgraphs/shared/config/paths.js';
import { listenOptions, openServiceRateLimiter, runService } from '../subgraphs/shared/service-entrypoint.js';
import { loadOperationManifest } from './persisted-queries/operation-manifest.js';
import { TieredQueryCache } from './persisted-queries/tiered-query-cache.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { createGateway, startGateway } from './server.js';

// Routes come from the committed supergraph; SUBGRAPH_URL_<NAME> points a subgraph elsewhere (e.g. in containers).
await runService('gateway', async ({ env, registry, log }) => {
  const settings = env.gateway;
  const rateLimiter = openServiceRateLimiter(env, 'gateway', (error) =>
    log.warn({ err: error }, 'rate limit decided in-process'),
  );
  // APQ entries registered at any replica are known to all of them through Redis; each keeps its own LRU too.
  const apqOnRedis = env.redisUrl
    ? createKeyValueCache({
        url: env.redisUrl,
        keyPrefix: `${env.redisKeyPrefix}gateway:`,
        name: 'gateway:apq',
        onError: (error) => log.warn({ err: error }, 'persisted-query store answered without Redis'),
      })
    : undefined;
  // Members' response generations live where the subgraphs advance them: only Redis reaches both.
  const memberResponseGenerations = env.redisUrl
    ? createKeyValueCache({
        url: env.redisUrl,
        keyPrefix: env.redisKeyPrefix,
        name: 'gateway:response-generations',
        onError: (error) => log.warn({ err: error }, 'response cache answered without Redis'),
      })
    : undefined;
  if (!memberResponseGenerations)
    log.info('no response cache: it needs REDIS_URL, shared with the subgraphs');
  const gateway = createGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    subgraphUrls: env.subgraphUrls,
    auth: env.auth,
    introspection: env.nodeEnv !== 'production',
    brandSubgraphs: registry.partners.map((p) => p.key),
    explorer: {
      enabled: env.explorer.enabled,
      devTokensFor: env.explorer.offerDevTokens ? { memberId: DEMO_MEMBER_ID } : undefined,
    },
    settings,
    rateLimiter,
    persistedQueryCache: apqOnRedis
      ? new TieredQueryCache(
          new InMemoryLRUCache<string>({ maxSize: settings.caches.persistedQueryCacheMiB * 2 ** 20 }),
          apqOnRedis,
        )
      : undefined,
    memberResponseGenerations,
    operationManifest: settings.persistedQueries.safelist
      ? loadOperationManifest(operationManifestPath())
      : undefined,
  });
  return {
    server: await startGateway(gateway, listenOptions(env)),
    close: async () => {
      await Promise.all([rateLimiter.close(), apqOnRedis?.close(), memberResponseGenerations?.close()]);
    },
  };
});
