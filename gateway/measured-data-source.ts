import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { performance } from 'node:perf_hooks';
import {
  recordSubgraphErrors,
  recordSubgraphFetch,
} from '../subgraphs/shared/observability/subgraph-fetch-metrics.js';
import type { GatewayContext } from './gateway-context.js';

/**
 * Error codes with which a data source answers for a subgraph it could not fetch from (a stand-in answer
 * with null fields): the fetch counts as failed with that code. Add a code here when a data source gains
 * another stand-in (a timeout, an open circuit).
 */
export const STAND_IN_ERROR_CODES: ReadonlySet<string> = new Set(['SUBGRAPH_UNAVAILABLE']);

const codesOf = (response: GatewayGraphQLResponse): string[] =>
  (response.errors ?? []).map((e) => {
    const code = e.extensions?.code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  });

/**
 * Counts and times every fetch the gateway makes to one subgraph, whatever the data source inside does
 * (token forwarding, fallbacks, timeouts): outcome `ok`, a stand-in's code, or the thrown error's code.
 */
export class MeasuredDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    private readonly inner: GraphQLDataSource<GatewayContext>,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    let response: GatewayGraphQLResponse;
    try {
      response = await this.inner.process(options);
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      recordSubgraphFetch(this.subgraph, typeof code === 'string' ? code : 'FETCH_FAILED', seconds());
      throw error;
    }
    const codes = codesOf(response);
    recordSubgraphFetch(this.subgraph, codes.find((c) => STAND_IN_ERROR_CODES.has(c)) ?? 'ok', seconds());
    recordSubgraphErrors(this.subgraph, codes);
    return response;
  }
}
