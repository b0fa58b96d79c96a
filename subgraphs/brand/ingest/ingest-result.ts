/** How the ingest endpoint answers for each event of a request. */
export type IngestStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IngestResult {
  index: number;
  eventId?: string;
  status: IngestStatus;
  reason?: string;
}
