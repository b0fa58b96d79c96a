import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DocumentNode } from 'graphql';
import type { IRules } from 'graphql-shield';
import type { RequestIdentity } from '../auth/subgraph-context.js';
import type { BackgroundWorker } from '../events/background-worker.js';
import { stopWorkers } from '../events/background-worker.js';
import { identifyRequest } from '../auth/subgraph-context.js';
import { applyPermissions } from '../auth/shield-rules.js';
import { formatClientError } from '../errors.js';
import { storeUnavailableAsServiceUnavailable } from '../db/store-unavailable.js';
import { serviceLogger } from '../observability/logger.js';
import type { HttpRoute, ListenOptions, RunningHttpServer } from './apollo-http-server.js';
import { DEFAULT_SHUTDOWN_GRACE_MS, startApolloHttpServer } from './apollo-http-server.js';
import { mergeFeatureMaps } from './feature-maps.js';
import type { ContextFactory } from './graphql-routes.js';
import { ClientRequestMemos, mutationsShareNothingPlugin } from './client-request-memo.js';
import { operationObserverPlugin } from './operation-observer-plugin.js';
import { partialResultStatusPlugin } from './partial-result-status-plugin.js';
import type { ReadinessCheck } from './readiness.js';

export interface SubgraphService<TContext extends RequestIdentity> {
  name: string;
  apollo: ApolloServer<TContext>;
  context: ContextFactory<TContext>;
  routes: HttpRoute[];
  /** Loops that run beside the server (relay, consumers): started with it, stopped after it has drained. */
  workers: BackgroundWorker[];
  readiness: ReadinessCheck[];
}

export interface SubgraphDefinition<TContext extends RequestIdentity> {
  name: string;
  /** Its schema, from `subgraphDocument` (the template and the registry, as the supergraph was composed). */
  typeDefs: DocumentNode;
  /** One map per feature, merged type by type (see `mergeFeatureMaps`); a single map is fine too. */
  resolvers: GraphQLResolverMap<TContext> | GraphQLResolverMap<TContext>[];
  permissions: IRules | IRules[];
  internalTokenSecret: string;
  /** Adds per-request state (loaders) to the verified identity. */
  extendContext: (identity: RequestIdentity) => TContext;
  routes?: HttpRoute[];
  workers?: BackgroundWorker[];
  /** What `GET /ready` checks, e.g. `[mongoReadiness(db), redisReadiness(redis)]`. */
  readiness?: ReadinessCheck[];
  introspection?: boolean;
}

/** Builds a subgraph: its schema and resolvers, graphql-shield deny-by-default, internal-token context. */
export function defineSubgraph<TContext extends RequestIdentity>(
  def: SubgraphDefinition<TContext>,
): SubgraphService<TContext> {
  const schema = applyPermissions(
    buildSubgraphSchema({
      typeDefs: def.typeDefs,
      resolvers: mergeFeatureMaps(
        [def.resolvers].flat() as GraphQLResolverMap<unknown>[],
        `${def.name} resolvers`,
      ),
    }),
    mergeFeatureMaps(
      [def.permissions].flat() as Record<string, unknown>[],
      `${def.name} permissions`,
    ) as IRules,
  );
  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: def.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) =>
      formatClientError(storeUnavailableAsServiceUnavailable(formatted, error)),
    // Shutdown is ours (close HTTP, stop workers, then the stores); Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    // Traces go to Prometheus metrics, not to Apollo's hosted reporting.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No field carries a cache hint (answers are cached per member at the gateway, docs/architecture.md
      // §10). Apollo's default cache-control plugin would otherwise wrap every field's resolver to hear
      // of each one resolving.
      ApolloServerPluginCacheControlDisabled(),
      operationObserverPlugin(),
      partialResultStatusPlugin(),
      mutationsShareNothingPlugin(),
    ],
    logger: serviceLogger(def.name),
  });
  const memos = new ClientRequestMemos();
  return {
    name: def.name,
    apollo,
    context: async (request, scope) =>
      def.extendContext(await identifyRequest(request, scope.requestId, def.internalTokenSecret, memos)),
    routes: def.routes ?? [],
    workers: def.workers ?? [],
    readiness: def.readiness ?? [],
  };
}

export async function startSubgraph<TContext extends RequestIdentity>(
  service: SubgraphService<TContext>,
  options: ListenOptions,
): Promise<RunningHttpServer> {
  await service.apollo.start();
  const server = await startApolloHttpServer({
    service: service.name,
    apollo: service.apollo,
    context: service.context,
    routes: service.routes,
    readiness: service.readiness,
    ...options,
  });
  for (const worker of service.workers) worker.start();
  return {
    ...server,
    // Requests in flight first (an ingest may still be storing events), then the loops beside them, each
    // given the same grace: one that hangs is named in the log and left, so that shutting down ends.
    close: async () => {
      await server.close();
      const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      const left = await stopWorkers(service.workers, graceMs);
      if (left.length > 0)
        serviceLogger(service.name).error(
          { workers: left, graceMs },
          'shutdown deadline reached: background workers still stopping were left behind',
        );
    },
  };
}
