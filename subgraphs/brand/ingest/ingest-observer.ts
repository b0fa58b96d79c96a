/** The writes of the ingest protocol, in order (see GuardedEventWriter). */
export type WriteStep = 'claim' | 'order' | 'summary' | 'applied';

/**
 * Told after each write step, with the ids of the events the step wrote. The service uses it to wake the
 * outbox relay once events are applied. An observer that throws stops the write there, exactly as a crash
 * of the process would: the next delivery of those events, or the recovery sweep, finishes them.
 */
export interface IngestObserver {
  afterStep(step: WriteStep, eventIds: readonly string[]): void;
}

export interface IngestOptions {
  now?: () => Date;
  observer?: IngestObserver;
}
