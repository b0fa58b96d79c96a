import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import type { AuthSettings, GatewaySettings } from '../subgraphs/shared/config/environment.js';
import { DEFAULT_GATEWAY_SETTINGS } from '../subgraphs/shared/config/environment.js';
import type { SubgraphKind } from '../subgraphs/shared/config/service-topology.js';
import type { ListenOptions, RunningHttpServer } from '../subgraphs/shared/http/apollo-http-server.js';
import { startApolloHttpServer } from '../subgraphs/shared/http/apollo-http-server.js';
import type { ContextFactory } from '../subgraphs/shared/http/graphql-routes.js';
import { operationObserverPlugin } from '../subgraphs/shared/http/operation-observer-plugin.js';
import { partialResultStatusPlugin } from '../subgraphs/shared/http/partial-result-status-plugin.js';
import type { ReadinessCheck } from '../subgraphs/shared/http/readiness.js';
import type { RequestAdmission } from '../subgraphs/shared/http/http-route.js';
import { MemoryRateLimiter } from '../subgraphs/shared/rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from '../subgraphs/shared/rate-limit/rate-limiter.js';
import { serviceLogger } from '../subgraphs/shared/observability/logger.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { createClientTokenVerifier } from './client-auth.js';
import { devTokenOffer } from './explorer/dev-token-offer.js';
import { explorerRoutes } from './explorer/explorer-routes.js';
import type { HttpRoute } from '../subgraphs/shared/http/http-route.js';
import { explorerAssetsPath } from '../subgraphs/shared/config/paths.js';
import { formatGatewayError } from './client-errors.js';
import { observeFetchOutcomes } from './fetch-outcome-observer.js';
import type { GatewayContext } from './gateway-context.js';
import { createGatewayContextFactory } from './gateway-context.js';
import { operationLimitsPlugin } from './limits/operation-limits-plugin.js';
import { rateLimitAdmission } from './limits/rate-limit-admission.js';
import type { OperationManifest } from './persisted-queries/operation-manifest.js';
import { ManifestQueryCache } from './persisted-queries/manifest-query-cache.js';
import { safelistScreen } from './persisted-queries/safelist-screen.js';
import type { GraphQLRequestScreen } from '../subgraphs/shared/http/graphql-routes.js';
import { memoisedRequestPrincipal } from './request-principal.js';
import { operationResolutionPlugin } from './operation-resolution-plugin.js';
import { serviceUnavailableStatusPlugin } from './service-unavailable-status-plugin.js';
import { readSubgraphOwnership } from './limits/subgraph-ownership.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { memberResponseCachePlugin } from './response-cache/member-response-cache-plugin.js';
import type { KeyValueCache as SharedKeyValueCache } from '../subgraphs/shared/cache/key-value-cache.js';
import { MemberResponseGenerations } from '../subgraphs/shared/cache/member-response-generations.js';
import type { FetchOutcomeHook } from './subgraph-failure.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph URL by subgraph name; names missing here keep the URL composed into the supergraph. */
  subgraphUrls: Record<string, string>;
  auth: AuthSettings;
  introspection?: boolean;
  /** The brand subgraphs (fetch timeouts of kind `brand`); any other is `profile` or `benefits` by name. */
  brandSubgraphs?: readonly string[];
  /** Limits, timeouts, breakers and cache sizes; default: the environment's defaults. */
  settings?: GatewaySettings;
  /**
   * Where persisted queries (APQ) are kept; default: a bounded in-process LRU. Pass a shared cache (e.g.
   * Redis-backed) so that every gateway instance knows a hash registered at any of them.
   */
  persistedQueryCache?: KeyValueCache<string>;
  /**
   * The published operations (`npm run operations:publish`); required when `settings.persistedQueries.safelist`
   * is on, and then the only operations the gateway runs.
   */
  operationManifest?: OperationManifest;
  /** Where rate-limit buckets are kept; default: this process (pass a Redis one to share them across replicas). */
  rateLimiter?: RateLimiter;
  /** Called after every subgraph fetch; default: counted in /metrics, and failures logged. */
  onFetchOutcome?: FetchOutcomeHook;
  /** The fetch used for subgraph calls; default: Node's built-in fetch. */
  fetch?: typeof globalThis.fetch;
  /** GraphiQL and the operator console; default: off. */
  explorer?: GatewayExplorerOptions;
  /**
   * The cache the subgraphs advance members' response generations in (Redis, or the in-process cache of
   * services that share this process). With it, members' answers are cached for
   * `settings.caches.responseCacheTtlSeconds`; without it there is no response cache.
   */
  memberResponseGenerations?: SharedKeyValueCache;
}

export interface GatewayExplorerOptions {
  enabled: boolean;
  /** Offer development tokens in GraphiQL (never in production): this member's, each partner's staff, admin. */
  devTokensFor?: { memberId: string };
  /** Where the bundles are; default: gateway/explorer/public. */
  assetsDir?: string;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  context: ContextFactory<GatewayContext>;
  readiness: ReadinessCheck[];
  /** One circuit breaker per subgraph, by name (filled as the gateway loads the supergraph). */
  breakers: ReadonlyMap<string, CircuitBreaker>;
  /** GraphiQL, the console and their bundles; and what a browser gets at GET /graphql. */
  routes: HttpRoute[];
  graphqlBrowserPage: HttpRoute['handle'];
  /** The rate limit on /graphql, before the body is read; undefined when `RATE_LIMITS=off`. */
  admission?: RequestAdmission;
  /** Safelist mode: refuses unpublished operations before Apollo parses them; undefined otherwise. */
  screen?: GraphQLRequestScreen;
}

const MIB = 2 ** 20;
/**
 * How long the response cache uses a member's generation again without asking Redis: a change made by a
 * subgraph (an event applied, a consent changed) reaches the member's cached answers within this long.
 */
const RESPONSE_GENERATION_HOLD_MS = 1000;

function kindOf(name: string, brands: readonly string[]): SubgraphKind {
  if (brands.includes(name)) return 'brand';
  return name === 'benefits' ? 'benefits' : 'profile';
}

export function createGateway(options: GatewayOptions): Gateway {
  // @apollo/gateway otherwise probes cloud metadata endpoints and exports usage metrics to Apollo's servers;
  // member data systems send nothing to third parties.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const settings = options.settings ?? DEFAULT_GATEWAY_SETTINGS;
  const brands = options.brandSubgraphs ?? [];
  const breakers = new Map<string, CircuitBreaker>();
  const log = serviceLogger('gateway');
  const onFetchOutcome = options.onFetchOutcome ?? observeFetchOutcomes(log);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: log,
    // Query plans are cached by document and operation; the LRU keeps them within this many MiB.
    experimental_approximateQueryPlanStoreMiB: settings.caches.queryPlanCacheMiB,
    buildService: ({ name, url }) => {
      const breaker = new CircuitBreaker({
        failureThreshold: settings.fetch.breakerFailures,
        openMs: settings.fetch.breakerOpenMs,
      });
      breakers.set(name, breaker);
      return new SubgraphDataSource({
        name,
        url: options.subgraphUrls[name] ?? url!,
        timeoutMs: settings.fetch.timeoutMs[kindOf(name, brands)],
        breaker,
        onFetchOutcome,
        fetch: options.fetch,
      });
    },
  });
  const safelist = settings.persistedQueries.safelist;
  if (safelist && !options.operationManifest) {
    throw new Error(
      'The operation safelist is on but no operation manifest was given (npm run operations:publish).',
    );
  }
  const principalOf = memoisedRequestPrincipal(createClientTokenVerifier(options.auth));
  let supergraphLoaded = false;
  gateway.onSchemaLoadOrUpdate(() => (supergraphLoaded = true));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError,
    // The parser stops at this many tokens, so no document costs more than that to parse.
    parseOptions: { maxTokens: settings.limits.maxTokens },
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: settings.caches.documentCacheMiB * MIB }),
    // APQ: in safelist mode only the published operations, read-only; otherwise registered by clients, in
    // the shared store when one is given.
    persistedQueries: {
      cache: safelist
        ? new ManifestQueryCache(options.operationManifest!)
        : (options.persistedQueryCache ??
          new InMemoryLRUCache<string>({ maxSize: settings.caches.persistedQueryCacheMiB * MIB })),
      ttl: settings.persistedQueries.ttlSeconds,
    },
    plugins: [
      // Apollo's landing page loads its code from Apollo's CDN; browsers get the gateway's own GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      // The member response cache is the gateway's own; no client is told to cache an answer by HTTP.
      ApolloServerPluginCacheControlDisabled(),
      operationObserverPlugin(),
      partialResultStatusPlugin(),
      serviceUnavailableStatusPlugin(),
      operationResolutionPlugin(),
      operationLimitsPlugin(settings.limits, readSubgraphOwnership(options.supergraphSdl)),
      ...(options.memberResponseGenerations && settings.caches.responseCacheTtlSeconds > 0
        ? [
            memberResponseCachePlugin({
              generations: new MemberResponseGenerations(options.memberResponseGenerations, {
                holdMs: RESPONSE_GENERATION_HOLD_MS,
              }),
              answers: new InMemoryLRUCache<string>({ maxSize: settings.caches.responseCacheMiB * MIB }),
              ttlSeconds: settings.caches.responseCacheTtlSeconds,
            }),
          ]
        : []),
    ],
    // Shutdown is ours (close HTTP, stop workers, then the stores); Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    logger: log,
  });
  const explorer = explorerRoutes({
    enabled: options.explorer?.enabled ?? false,
    assetsDir: options.explorer?.assetsDir ?? explorerAssetsPath(),
    devTokens: options.explorer?.devTokensFor
      ? devTokenOffer(options.auth, options.explorer.devTokensFor.memberId, brands)
      : undefined,
  });
  return {
    apollo,
    breakers,
    routes: explorer.routes,
    graphqlBrowserPage: explorer.browserPage,
    admission: settings.rateLimits.enabled
      ? rateLimitAdmission(settings.rateLimits, options.rateLimiter ?? new MemoryRateLimiter(), principalOf)
      : undefined,
    screen: safelist ? safelistScreen(options.operationManifest!, settings.limits.maxTokens) : undefined,
    context: createGatewayContextFactory(
      principalOf,
      options.auth.internalTokenSecret,
      settings.fetch.requestBudgetMs,
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
    routes: gateway.routes,
    graphqlBrowserPage: gateway.graphqlBrowserPage,
    admitGraphQL: gateway.admission,
    screenGraphQL: gateway.screen,
    ...options,
  });
}
