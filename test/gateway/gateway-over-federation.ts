import { readFileSync } from 'node:fs';
import type { GatewaySettings } from '../../subgraphs/shared/config/environment.js';
import { supergraphPath } from '../../subgraphs/shared/config/paths.js';
import type { RunningHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import type { Gateway, GatewayOptions } from '../../gateway/server.js';
import { createGateway, startGateway } from '../../gateway/server.js';
import type { FetchOutcome } from '../../gateway/subgraph-failure.js';
import type { GraphQLAnswer, GraphQLRequestOptions, TestFederation } from '../federation-harness.js';
import { TEST_AUTH, TEST_GATEWAY_SETTINGS, queryGraphQL } from '../federation-harness.js';

export interface ExtraGateway {
  url: string;
  gateway: Gateway;
  /** Every subgraph fetch this gateway made, in order. */
  outcomes: FetchOutcome[];
  query(query: string, options?: GraphQLRequestOptions): Promise<GraphQLAnswer>;
  close(): Promise<void>;
}

/**
 * A second gateway in front of a test federation's subgraphs, with its own settings and, where a test
 * replaces one, its own subgraph URLs: for limits, timeouts and breakers that the shared gateway keeps at
 * their defaults.
 */
export async function startGatewayOver(
  fed: TestFederation,
  options: {
    /** From the test settings (generous timeouts) to this gateway's. */
    settings?: (defaults: GatewaySettings) => GatewaySettings;
    subgraphUrls?: Record<string, string>;
  } & Pick<GatewayOptions, 'persistedQueryCache' | 'rateLimiter' | 'operationManifest'> = {},
): Promise<ExtraGateway> {
  const outcomes: FetchOutcome[] = [];
  const gateway = createGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    subgraphUrls: { ...fed.federation.subgraphUrls, ...options.subgraphUrls },
    auth: TEST_AUTH,
    brandSubgraphs: fed.registry.partners.map((p) => p.key),
    settings: (options.settings ?? ((d) => d))(TEST_GATEWAY_SETTINGS),
    persistedQueryCache: options.persistedQueryCache,
    rateLimiter: options.rateLimiter,
    operationManifest: options.operationManifest,
    onFetchOutcome: (outcome) => outcomes.push(outcome),
  });
  const server: RunningHttpServer = await startGateway(gateway, { port: 0 });
  return {
    url: server.url,
    gateway,
    outcomes,
    query: (query, opts) => queryGraphQL(server.url, query, opts),
    close: () => server.close(),
  };
}
