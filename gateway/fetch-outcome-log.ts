import type { FetchOutcome } from './subgraph-failure.js';

/**
 * The default `onFetchOutcome`: one JSON line on stderr for every subgraph fetch that did not simply
 * succeed, with the request id, the subgraph, what happened and the error codes passed on (never messages
 * or data, which can name a member).
 */
export function logFetchOutcome(outcome: FetchOutcome): void {
  if (outcome.kind === 'ok') return;
  const level = outcome.kind === 'graphql_errors' ? 'info' : 'warn';
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
