import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

/**
 * How a subgraph fetch went. `unreachable` (refused, reset, no route, or a proxy's 502/503/504) and
 * `timeout` are outages and count against the circuit breaker; `short_circuited` (breaker open) and
 * `deadline_exceeded` (the client request's time budget ran out) never reached the subgraph;
 * `subgraph_error` is an answer (4xx/5xx, a body that is not GraphQL) whose errors are passed on.
 */
export type FetchFailureKind =
  'unreachable' | 'timeout' | 'short_circuited' | 'deadline_exceeded' | 'subgraph_error';

export type FetchOutcomeKind = 'ok' | 'graphql_errors' | FetchFailureKind;

/** What one subgraph fetch came to; handed to the `onFetchOutcome` hook (logs, metrics). */
export interface FetchOutcome {
  subgraph: string;
  requestId: string;
  kind: FetchOutcomeKind;
  /** HTTP status, when the subgraph answered. */
  status?: number;
  durationMs: number;
  /** `extensions.code` of the errors passed on to the client. */
  codes: string[];
  /** The underlying cause of an outage (e.g. `ECONNREFUSED`), for operators. */
  cause?: string;
}

export type FetchOutcomeHook = (outcome: FetchOutcome) => void;

/** Thrown inside the data source, caught in its `process`, which answers without the subgraph. */
export class SubgraphFetchFailure extends GraphQLError {
  constructor(
    readonly kind: FetchFailureKind,
    readonly errors: GraphQLFormattedError[],
    readonly status?: number,
    readonly causeName?: string,
  ) {
    super(`subgraph fetch failed: ${kind}${causeName ? ` (${causeName})` : ''}`);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Statuses a proxy or load balancer answers for a service it cannot reach: outages, not answers. */
export const UNREACHABLE_STATUSES = new Set([502, 503, 504]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** Errors from Node's own fetch come from another realm under some runners: recognised by shape, not class. */
const errorLike = (value: unknown): ErrorLike | null =>
  typeof value === 'object' && value !== null ? (value as ErrorLike) : null;

/**
 * Classifies what `fetch` threw: our timeout signal firing, or a failure to reach the subgraph (undici
 * wraps the system error as `TypeError('fetch failed', { cause })`). Null for anything else, which is a
 * fault of ours rather than the subgraph's.
 */
export function classifyFetchError(
  thrown: unknown,
): { kind: 'timeout' | 'unreachable'; cause: string } | null {
  const error = errorLike(thrown);
  if (!error) return null;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return { kind: 'timeout', cause: String(error.name) };
  }
  for (let e: ErrorLike | null = error, depth = 0; e && depth < 4; e = errorLike(e.cause), depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code))
      return { kind: 'unreachable', cause: e.code };
  }
  if (error.name === 'TypeError' && error.message === 'fetch failed') {
    return { kind: 'unreachable', cause: 'fetch failed' };
  }
  return null;
}

const STATUS_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

/**
 * The errors to pass on for a subgraph that answered with an HTTP error: its own GraphQL errors when the
 * body has them (code, message, path; nothing else of the subgraph's internals), else one error whose code
 * follows the status.
 */
export function errorsFromFailedAnswer(
  subgraph: string,
  status: number,
  body: unknown,
): GraphQLFormattedError[] {
  const listed = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(listed) && listed.length > 0) {
    return listed.map((raw) => {
      const error = (raw ?? {}) as { message?: unknown; path?: unknown; extensions?: { code?: unknown } };
      const code =
        typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
      return {
        message: typeof error.message === 'string' ? error.message : `${subgraph} answered HTTP ${status}.`,
        ...(Array.isArray(error.path) ? { path: error.path as (string | number)[] } : {}),
        extensions: { code },
      };
    });
  }
  return [
    {
      message: `${subgraph} answered HTTP ${status}.`,
      extensions: { code: STATUS_CODES[status] ?? 'INTERNAL_SERVER_ERROR' },
    },
  ];
}

/** The error a client reads for a subgraph that could not be asked or did not answer. */
export function unavailableError(subgraph: string): GraphQLFormattedError {
  return {
    message: `${subgraph} is not answering right now; its data is left out of this answer.`,
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: subgraph },
  };
}
