import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { AuthSettings } from '../subgraphs/shared/config/environment.js';
import { formatClientError } from '../subgraphs/shared/errors.js';
import type { ListenOptions, RunningHttpServer } from '../subgraphs/shared/http/apollo-http-server.js';
import { startApolloHttpServer } from '../subgraphs/shared/http/apollo-http-server.js';
import type { ContextFactory } from '../subgraphs/shared/http/graphql-routes.js';
import { operationObserverPlugin } from '../subgraphs/shared/http/operation-observer-plugin.js';
import { partialResultStatusPlugin } from '../subgraphs/shared/http/partial-result-status-plugin.js';
import type { ReadinessCheck } from '../subgraphs/shared/http/readiness.js';
import { serviceLogger } from '../subgraphs/shared/observability/logger.js';
import { createClientTokenVerifier } from './client-auth.js';
import type { GatewayContext } from './gateway-context.js';
import { createGatewayContextFactory } from './gateway-context.js';
import { InternalTokenDataSource } from './internal-token-data-source.js';
import { MeasuredDataSource } from './measured-data-source.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph URL by subgraph name; names missing here keep the URL composed into the supergraph. */
  subgraphUrls: Record<string, string>;
  auth: AuthSettings;
  introspection?: boolean;
  /** Subgraphs whose outage leaves their fields null instead of failing the member (the brand subgraphs). */
  optionalSubgraphs?: readonly string[];
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  context: ContextFactory<GatewayContext>;
  readiness: ReadinessCheck[];
}

export function createGateway(options: GatewayOptions): Gateway {
  // @apollo/gateway otherwise probes cloud metadata endpoints and exports usage metrics to Apollo's servers;
  // member data systems send nothing to third parties.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const log = serviceLogger('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: log,
    buildService: ({ name, url }) =>
      new MeasuredDataSource(
        name,
        new InternalTokenDataSource(
          { url: options.subgraphUrls[name] ?? url },
          name,
          options.optionalSubgraphs?.includes(name) ?? false,
        ),
      ),
  });
  let supergraphLoaded = false;
  gateway.onSchemaLoadOrUpdate(() => (supergraphLoaded = true));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: formatClientError,
    // Shutdown is ours (close HTTP, stop workers, then the stores); Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    plugins: [operationObserverPlugin(), partialResultStatusPlugin()],
    logger: log,
  });
  return {
    apollo,
    context: createGatewayContextFactory(
      createClientTokenVerifier(options.auth),
      options.auth.internalTokenSecret,
    ),
    readiness: [
      {
        name: 'supergraph',
        check: async () => {
          if (!supergraphLoaded) throw new Error('the supergraph is not loaded');
        },
      },
    ],
  };
}

export async function startGateway(gateway: Gateway, options: ListenOptions): Promise<RunningHttpServer> {
  await gateway.apollo.start();
  return startApolloHttpServer({
    service: 'gateway',
    apollo: gateway.apollo,
    context: gateway.context,
    readiness: gateway.readiness,
    ...options,
  });
}
