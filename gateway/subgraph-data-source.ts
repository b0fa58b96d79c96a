import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_TOKEN_HEADER } from '../subgraphs/shared/auth/internal-token.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { failedFetchResponse } from './entity-fallback.js';
import type { GatewayContext } from './gateway-context.js';
import type { FetchOutcome, FetchOutcomeHook } from './subgraph-failure.js';
import {
  SubgraphFetchFailure,
  classifyFetchError,
  errorsFromFailedAnswer,
  unavailableError,
} from './subgraph-failure.js';
import { DEADLINE_HEADER, createSubgraphFetcher } from './subgraph-fetcher.js';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  breaker: CircuitBreaker;
  /** Called once per subgraph fetch with how it went: the one place logs and metrics hook in. */
  onFetchOutcome: FetchOutcomeHook;
  fetch?: typeof globalThis.fetch;
}

const codesOf = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string[] =>
  (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));

/**
 * One subgraph as the gateway sees it. Every fetch carries the gateway-signed internal token, the request
 * id and the request's deadline, and goes through the subgraph's fetcher (timeout, circuit breaker).
 * A fetch that fails never fails the client request: an outage answers the fetch with null fields and
 * `SUBGRAPH_UNAVAILABLE`, and a subgraph's own HTTP error answers it with that subgraph's errors and codes,
 * so the rest of the query plan (the other brands, the profile and the bundle) still runs.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly onFetchOutcome: FetchOutcomeHook;

  constructor(options: SubgraphDataSourceOptions) {
    super({
      url: options.url,
      fetcher: createSubgraphFetcher({
        subgraph: options.name,
        timeoutMs: options.timeoutMs,
        breaker: options.breaker,
        fetch: options.fetch,
      }),
    });
    this.subgraph = options.name;
    this.onFetchOutcome = options.onFetchOutcome;
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const ctx = options.context as Partial<GatewayContext>;
    const report = (outcome: Omit<FetchOutcome, 'subgraph' | 'requestId' | 'durationMs'>): void =>
      this.onFetchOutcome({
        subgraph: this.subgraph,
        requestId: ctx.requestId ?? 'none',
        durationMs: performance.now() - started,
        ...outcome,
      });
    try {
      const response = await super.process(options);
      const codes = codesOf(response.errors as never);
      report({ kind: codes.length ? 'graphql_errors' : 'ok', status: response.http?.status, codes });
      return response;
    } catch (error) {
      const failure = this.asFailure(error);
      report({
        kind: failure.kind,
        status: failure.status,
        codes: codesOf(failure.errors as never),
        cause: failure.causeName,
      });
      return failedFetchResponse(options.request, failure.errors);
    }
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const ctx = context as Partial<GatewayContext>;
    if (!request.http) return;
    if (ctx.internalToken) request.http.headers.set(INTERNAL_TOKEN_HEADER, await ctx.internalToken());
    if (ctx.requestId) request.http.headers.set('x-request-id', ctx.requestId);
    if (ctx.deadline) request.http.headers.set(DEADLINE_HEADER, String(ctx.deadline));
  }

  /** A subgraph that answered 4xx/5xx: its own errors go on to the client, never its URL or body. */
  override async errorFromResponse(response: FetcherResponse): Promise<SubgraphFetchFailure> {
    let body: unknown = null;
    try {
      body = JSON.parse(await response.text());
    } catch {
      body = null;
    }
    return new SubgraphFetchFailure(
      'subgraph_error',
      errorsFromFailedAnswer(this.subgraph, response.status, body),
      response.status,
    );
  }

  private asFailure(error: unknown): SubgraphFetchFailure {
    if (error instanceof SubgraphFetchFailure) return error;
    const network = classifyFetchError(error);
    if (network) {
      return new SubgraphFetchFailure(
        network.kind,
        [unavailableError(this.subgraph)],
        undefined,
        network.cause,
      );
    }
    // An answer we could not read (not JSON, not an object): the subgraph's fault, reported as internal.
    return new SubgraphFetchFailure(
      'subgraph_error',
      [
        {
          message: `${this.subgraph} sent an answer that is not GraphQL.`,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
      undefined,
      String((error as { name?: unknown } | null)?.name ?? typeof error),
    );
  }
}
