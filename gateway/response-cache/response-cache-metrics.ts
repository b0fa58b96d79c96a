import { Counter } from 'prom-client';
import { metricsRegistry } from '../../subgraphs/shared/observability/metrics-registry.js';

const outcomes = new Counter({
  name: 'gateway_response_cache_total',
  help: "Members' queries looked up in the gateway's response cache, by outcome (hit, miss).",
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export function countResponseCacheOutcome(outcome: 'hit' | 'miss'): void {
  outcomes.inc({ outcome });
}
