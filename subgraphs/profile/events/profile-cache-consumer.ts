import { decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { ProfileCache } from '../data/profile-cache.js';

function memberOf(payload: string): string | null {
  try {
    return decodeActivityMessage(payload).memberId;
  } catch {
    return null; // Not a message of ours: acknowledged and skipped.
  }
}

/** Drops the cached profiles of the members a batch of events is about (their behaviour just changed). */
export function profileInvalidationHandler(cache: ProfileCache) {
  return async (entries: StreamEntry[]): Promise<void> => {
    const members = [...new Set(entries.map((e) => memberOf(e.payload)).filter((id): id is string => !!id))];
    await cache.invalidate(...members);
  };
}
