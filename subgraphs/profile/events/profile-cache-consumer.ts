import { decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { ProfileCache } from '../data/profile-cache.js';

/** Drops the cached profile of the member an event is about (their behaviour just changed). */
export function profileInvalidationHandler(cache: ProfileCache) {
  return async (fields: string[]): Promise<void> => {
    let memberId: string | null;
    try {
      memberId = decodeActivityMessage(fields).memberId;
    } catch {
      return; // Not a message of ours: acknowledged and skipped.
    }
    if (memberId) await cache.invalidate(memberId);
  };
}
