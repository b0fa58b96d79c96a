import { Gauge, Histogram } from 'prom-client';
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

const undeliveredGauge = new Gauge({
  name: 'event_consumer_undelivered',
  help: 'Messages in the stream not yet delivered to a consumer group (absent when the stream cannot tell).',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

const appliedAge = new Histogram({
  name: 'event_applied_age_seconds',
  help: 'Time from an event being published to the stream to a consumer group applying it.',
  labelNames: ['group'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

export interface ConsumerObservation {
  pending: number;
  /** Age of the oldest delivered, unacknowledged message; 0 when none is pending. */
  lagMs: number;
  /** Messages not yet delivered to the group; null when the stream cannot tell. */
  undelivered: number | null;
}

/** The event stream's consumers report where they stand every few seconds; a scrape reads the last report. */
export function observeConsumer(group: string, observation: ConsumerObservation): void {
  pendingGauge.set({ group }, observation.pending);
  lagGauge.set({ group }, Math.max(0, observation.lagMs) / 1000);
  if (observation.undelivered === null) undeliveredGauge.remove({ group });
  else undeliveredGauge.set({ group }, observation.undelivered);
}

/** A consumer group applied messages published `agesMs` ago. */
export function observeAppliedAges(group: string, agesMs: readonly number[]): void {
  for (const ageMs of agesMs) appliedAge.observe({ group }, Math.max(0, ageMs) / 1000);
}
