import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics-registry.js';

const pendingGauge = new Gauge({
  name: 'event_consumer_pending',
  help: 'Messages delivered to a consumer group but not yet acknowledged.',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

const lagGauge = new Gauge({
  name: 'event_consumer_lag_seconds',
  help: 'Age of the oldest event a consumer group has not yet applied (0 when it is caught up).',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

export interface ConsumerObservation {
  pending: number;
  lagMs: number;
}

/** The event stream's consumers report where they stand, e.g. after each poll; a scrape reads the last report. */
export function observeConsumer(group: string, observation: ConsumerObservation): void {
  pendingGauge.set({ group }, observation.pending);
  lagGauge.set({ group }, Math.max(0, observation.lagMs) / 1000);
}
