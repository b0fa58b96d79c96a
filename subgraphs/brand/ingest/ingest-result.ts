/**
 * How the ingest endpoint answers for each event of a request:
 * - `accepted`: recorded now;
 * - `duplicate`: the same `eventId` with the same content was recorded before; nothing changes;
 * - `conflict`: the same `eventId` was recorded before with other content; the first stays, this one is
 *   not recorded (a new event needs a new id), with a reason naming the fields that differ;
 * - `rejected`: invalid, with a reason; nothing is written.
 */
export const INGEST_STATUSES = ['accepted', 'duplicate', 'conflict', 'rejected'] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

export interface IngestResult {
  index: number;
  eventId?: string;
  status: IngestStatus;
  reason?: string;
}

/** How many events of a request ended in each status (every status present, zero or not). */
export function summariseResults(results: readonly IngestResult[]): Record<IngestStatus, number> {
  const summary = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
  for (const result of results) summary[result.status] += 1;
  return summary;
}
