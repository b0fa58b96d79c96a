import { BoundedLabelValues } from './bounded-label-values.js';
import { registeredCounter, registeredHistogram } from './metrics-registry.js';

const fetches = registeredCounter({
  name: 'gateway_subgraph_fetches_total',
  help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (ok, or the failure code).',
  labelNames: ['subgraph', 'outcome'] as const,
});

const fetchDuration = registeredHistogram({
  name: 'gateway_subgraph_fetch_duration_seconds',
  help: 'Time of one gateway-to-subgraph fetch, by subgraph and outcome.',
  labelNames: ['subgraph', 'outcome'] as const,
});

const subgraphErrors = registeredCounter({
  name: 'gateway_subgraph_errors_total',
  help: 'GraphQL errors inside subgraph answers, by subgraph and extensions.code.',
  labelNames: ['subgraph', 'code'] as const,
});

// Codes come from subgraphs and fetch failures; a bound keeps an unexpected stream of them from multiplying series.
const codes = new BoundedLabelValues(50);

/** `ok` when the subgraph answered; otherwise the code of the failure (`SUBGRAPH_UNAVAILABLE`, a timeout, …). */
export type SubgraphFetchOutcome = 'ok' | (string & {});

/** One fetch to a subgraph has ended. Call once per fetch, whatever path it took (answer, fallback, error). */
export function recordSubgraphFetch(subgraph: string, outcome: SubgraphFetchOutcome, seconds: number): void {
  const labels = { subgraph, outcome: codes.value(outcome) };
  fetches.inc(labels);
  fetchDuration.observe(labels, seconds);
}

/** Counts the GraphQL errors a subgraph answered with, by their `extensions.code`. */
export function recordSubgraphErrors(subgraph: string, errorCodes: readonly string[]): void {
  for (const code of errorCodes) subgraphErrors.inc({ subgraph, code: codes.value(code) });
}
