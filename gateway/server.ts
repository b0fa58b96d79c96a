import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import type { AuthSettings } from '../subgraphs/shared/config/environment.js';
import { formatClientError } from '../subgraphs/shared/errors.js';
import type { RunningHttpServer } from '../subgraphs/shared/http/apollo-http-server.js';
import { startApolloHttpServer } from '../subgraphs/shared/http/apollo-http-server.js';
import { createClientTokenVerifier } from './client-auth.js';
import type { GatewayContext } from './gateway-context.js';
import { createGatewayContextFactory } from './gateway-context.js';
import { InternalTokenDataSource } from './internal-token-data-source.js';

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
  context: (request: IncomingMessage) => Promise<GatewayContext>;
}

export function createGateway(options: GatewayOptions): Gateway {
  // @apollo/gateway otherwise probes cloud metadata endpoints and exports usage metrics to Apollo's servers;
  // member data systems send nothing to third parties.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new InternalTokenDataSource(
        { url: options.subgraphUrls[name] ?? url },
        name,
        options.optionalSubgraphs?.includes(name) ?? false,
      ),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: formatClientError,
    // Shutdown is ours (close HTTP, stop workers, then the stores); Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
  });
  return {
    apollo,
    context: createGatewayContextFactory(
      createClientTokenVerifier(options.auth),
      options.auth.internalTokenSecret,
    ),
  };
}

export async function startGateway(
  gateway: Gateway,
  options: { port: number; host?: string },
): Promise<RunningHttpServer> {
  await gateway.apollo.start();
  return startApolloHttpServer({ apollo: gateway.apollo, context: gateway.context, ...options });
}
