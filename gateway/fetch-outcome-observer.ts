import type { Logger } from '../subgraphs/shared/observability/logger.js';
import {
  recordSubgraphErrors,
  recordSubgraphFetch,
} from '../subgraphs/shared/observability/subgraph-fetch-metrics.js';
import type { FetchOutcome, FetchOutcomeHook } from './subgraph-failure.js';

/** Errors a client caused and reads in its answer; a subgraph answering them is working as designed. */
const CLIENT_CAUSED = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/** Whether an outcome is worth an operator's attention: a failed fetch, or errors the client did not cause. */
export function isNoteworthy(outcome: FetchOutcome): boolean {
  if (outcome.kind === 'ok') return false;
  return outcome.kind !== 'graphql_errors' || outcome.codes.some((c) => !CLIENT_CAUSED.has(c));
}

/**
 * The gateway's `onFetchOutcome`: every subgraph fetch is counted and timed by outcome (`ok`, or how it
 * failed: `unreachable`, `timeout`, `short_circuited`, …), the error codes it answered are counted, and a
 * noteworthy one is logged with the request id, the subgraph, what happened and the codes passed on —
 * never messages or data, which can name a member.
 */
export function observeFetchOutcomes(log: Logger): FetchOutcomeHook {
  return (outcome) => {
    recordSubgraphFetch(outcome.subgraph, outcome.kind, outcome.durationMs / 1000);
    recordSubgraphErrors(outcome.subgraph, outcome.codes);
    if (!isNoteworthy(outcome)) return;
    const entry = {
      requestId: outcome.requestId,
      subgraph: outcome.subgraph,
      outcome: outcome.kind,
      status: outcome.status,
      codes: outcome.codes,
      cause: outcome.cause,
      durationMs: Math.round(outcome.durationMs),
    };
    if (outcome.kind === 'graphql_errors') log.error(entry, 'subgraph fetch');
    else log.warn(entry, 'subgraph fetch');
  };
}
