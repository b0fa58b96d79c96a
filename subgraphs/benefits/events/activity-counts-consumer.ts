import { decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { ActivityCounters } from '../data/activity-counters.js';

/** Counts each member's activity per local day for eligibility rules. Idempotent per event (see `recordMany`). */
export function activityCountsHandler(counters: ActivityCounters) {
  return async (entries: StreamEntry[]): Promise<void> => {
    const messages = [];
    for (const { payload } of entries) {
      try {
        messages.push(decodeActivityMessage(payload));
      } catch {
        // Not a message of ours: skipped, or it would be redelivered for ever.
      }
    }
    await counters.recordMany(messages);
  };
}
