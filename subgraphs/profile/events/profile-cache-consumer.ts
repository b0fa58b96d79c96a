import { decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamMessage } from '../../shared/events/stream-consumer.js';
import type { ProfileCache } from '../data/profile-cache.js';

function memberOf(fields: string[]): string | null {
  try {
    return decodeActivityMessage(fields).memberId;
  } catch {
    return null; // Not a message of ours: acknowledged and skipped.
  }
}

/** Drops the cached profiles of the members a batch of events is about (their behaviour just changed). */
export function profileInvalidationHandler(cache: ProfileCache) {
  return async (messages: StreamMessage[]): Promise<void> => {
    const members = [...new Set(messages.map((m) => memberOf(m.fields)).filter((id): id is string => !!id))];
    await cache.invalidate(...members);
  };
}
