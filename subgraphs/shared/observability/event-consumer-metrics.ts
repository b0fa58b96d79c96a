import { registeredGauge, registeredHistogram } from './metrics-registry.js';

/** A gauge with one series per consumer group. */
const groupGauge = (name: string, help: string) =>
  registeredGauge({ name, help, labelNames: ['group'] as const });

const pendingGauge = groupGauge(
  'event_consumer_pending',
  'Messages delivered to a consumer group but not yet acknowledged.',
);
const lagGauge = groupGauge(
  'event_consumer_lag_seconds',
  'Age of the oldest event a consumer group has not yet applied (0 when it is caught up).',
);
const undeliveredGauge = groupGauge(
  'event_consumer_undelivered',
  'Messages in the stream not yet delivered to a consumer group (absent when the stream cannot tell).',
);

const appliedAge = registeredHistogram({
  name: 'event_applied_age_seconds',
  help: 'Time from an event being published to the stream to a consumer group applying it.',
  labelNames: ['group'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
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
