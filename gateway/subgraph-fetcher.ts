import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import type { CircuitBreaker } from './circuit-breaker.js';
import {
  SubgraphFetchFailure,
  UNREACHABLE_STATUSES,
  classifyFetchError,
  unavailableError,
} from './subgraph-failure.js';

/** Absolute deadline of the client request (ms since the epoch), sent with each subgraph fetch. */
export const DEADLINE_HEADER = 'x-request-deadline';

export interface SubgraphFetcherOptions {
  subgraph: string;
  /** Longest one fetch may take, headers and body. */
  timeoutMs: number;
  breaker: CircuitBreaker;
  /** Node's built-in fetch (undici, keep-alive by default) unless a test passes another. */
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/**
 * The fetcher every subgraph data source sends with: Node's built-in fetch (undici keeps connections
 * alive; the default make-fetch-happen client cost more CPU than the whole gateway), bounded by the
 * shorter of the subgraph's own timeout and what is left of the client request's deadline, and guarded by
 * the subgraph's circuit breaker. The body is read inside the same bound, so a subgraph that sends headers
 * and then stalls is a timeout too. Outages throw `SubgraphFetchFailure`; any answer is returned as is.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): Fetcher {
  const send = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const fail = (kind: SubgraphFetchFailure['kind'], cause?: string, status?: number) =>
    new SubgraphFetchFailure(kind, [unavailableError(options.subgraph)], status, cause);

  return async (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
    const deadline = Number(init.headers?.[DEADLINE_HEADER]);
    const left = Number.isFinite(deadline) ? deadline - now() : Infinity;
    if (left <= 0) throw fail('deadline_exceeded');
    if (!options.breaker.tryAcquire()) throw fail('short_circuited');
    // Cut short by the request's deadline, a timeout says nothing about the subgraph.
    const cutByDeadline = left < options.timeoutMs;
    let status: number | undefined;
    try {
      const signal = AbortSignal.timeout(Math.max(1, Math.min(options.timeoutMs, left)));
      const response = await send(url, { ...init, signal } as RequestInit);
      status = response.status;
      const body = await response.text();
      if (UNREACHABLE_STATUSES.has(status)) {
        options.breaker.recordFailure();
        throw fail('unreachable', `HTTP ${status}`, status);
      }
      options.breaker.recordSuccess();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      }) as unknown as FetcherResponse;
    } catch (error) {
      if (error instanceof SubgraphFetchFailure) throw error;
      const failure = classifyFetchError(error);
      if (!failure) {
        options.breaker.release();
        throw error;
      }
      if (failure.kind === 'timeout' && cutByDeadline) {
        options.breaker.release();
        throw fail('deadline_exceeded', failure.cause, status);
      }
      options.breaker.recordFailure();
      throw fail(failure.kind, failure.cause, status);
    }
  };
}
