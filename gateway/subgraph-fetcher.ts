import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { HttpAnswer, HttpSend } from './keep-alive-http.js';
import { createKeepAliveHttp } from './keep-alive-http.js';
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
  /** The process's keep-alive HTTP client (`keep-alive-http.ts`) unless another is passed (`fetch`, a test's). */
  fetch?: HttpSend;
  now?: () => number;
}

/** One keep-alive client for the process, as `fetch` has one dispatcher: its idle connections hold nothing up. */
let processHttp: HttpSend | undefined;

/**
 * The fetcher every subgraph data source sends with: the keep-alive HTTP client (the default make-fetch-happen
 * client cost more CPU than the whole gateway, and Node's `fetch` four times this one per call), bounded by
 * the shorter of the subgraph's own timeout and what is left of the client request's deadline, and guarded by
 * the subgraph's circuit breaker. The body is read inside the same bound, so a subgraph that sends headers
 * and then stalls is a timeout too. Outages throw `SubgraphFetchFailure`; any answer is returned as is.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): Fetcher {
  const send = options.fetch ?? (processHttp ??= createKeepAliveHttp().send);
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
      const response = await send(url, {
        method: init.method,
        headers: init.headers,
        body:
          typeof init.body === 'string' || init.body === undefined ? init.body : init.body.toString('utf8'),
        signal,
      });
      status = response.status;
      const body = await response.text();
      if (UNREACHABLE_STATUSES.has(status)) {
        options.breaker.recordFailure();
        throw fail('unreachable', `HTTP ${status}`, status);
      }
      options.breaker.recordSuccess();
      return answeredResponse(url, response, body);
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

/** The answer as Apollo's data source reads it: read whole already, its body served from memory. */
function answeredResponse(url: string, answer: HttpAnswer, body: string): FetcherResponse {
  const headers = new AnswerHeaders(answer.headers);
  const response: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status: answer.status,
    ok: answer.status >= 200 && answer.status < 300,
    statusText: answer.statusText,
    headers,
    text: () => Promise.resolve(body),
    json: () => Promise.resolve().then(() => JSON.parse(body) as unknown),
    arrayBuffer: () => Promise.resolve(new TextEncoder().encode(body).buffer as ArrayBuffer),
    clone: () => answeredResponse(url, answer, body),
  };
  return response;
}

/** An answer's headers by lower-case name. */
class AnswerHeaders implements FetcherHeaders {
  private readonly byName = new Map<string, string>();

  constructor(entries: Iterable<[string, string]>) {
    for (const [name, value] of entries) this.append(name, value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const before = this.byName.get(key);
    this.byName.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  delete(name: string): void {
    this.byName.delete(name.toLowerCase());
  }
  get(name: string): string | null {
    return this.byName.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.byName.set(name.toLowerCase(), value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.byName.entries();
  }
  keys(): IterableIterator<string> {
    return this.byName.keys();
  }
  values(): IterableIterator<string> {
    return this.byName.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.byName.entries();
  }
}
