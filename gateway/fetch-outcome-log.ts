import type { FetchOutcome } from './subgraph-failure.js';

/** Errors a client caused and reads in its answer; a subgraph answering them is working as designed. */
const CLIENT_CAUSED = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/**
 * The default `onFetchOutcome`: one JSON line on stderr for every subgraph fetch that failed (outage,
 * timeout, breaker open, HTTP error) or answered errors other than the client's own (an internal error in
 * a subgraph), with the request id, the subgraph, what happened and the codes passed on (never messages
 * or data, which can name a member).
 */
export function logFetchOutcome(outcome: FetchOutcome): void {
  if (outcome.kind === 'ok') return;
  if (outcome.kind === 'graphql_errors' && outcome.codes.every((c) => CLIENT_CAUSED.has(c))) return;
  const level = outcome.kind === 'graphql_errors' ? 'error' : 'warn';
  process.stderr.write(
    `${JSON.stringify({
      level,
      msg: 'subgraph fetch',
      requestId: outcome.requestId,
      subgraph: outcome.subgraph,
      outcome: outcome.kind,
      status: outcome.status,
      codes: outcome.codes,
      cause: outcome.cause,
      durationMs: Math.round(outcome.durationMs),
    })}\n`,
  );
}
