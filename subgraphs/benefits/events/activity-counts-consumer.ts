import { decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { ActivityCounters } from '../data/activity-counters.js';

/** Counts each member's activity per local day for eligibility rules. Idempotent per event (see `record`). */
export function activityCountsHandler(counters: ActivityCounters) {
  return async (entries: StreamEntry[]): Promise<void> => {
    for (const { payload } of entries) {
      let message;
      try {
        message = decodeActivityMessage(payload);
      } catch {
        continue; // Not a message of ours: skipped, or it would be redelivered for ever.
      }
      await counters.record(message);
    }
  };
}
