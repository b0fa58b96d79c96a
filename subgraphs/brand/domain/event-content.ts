import { createHash } from 'node:crypto';
import type { PartnerEvent } from '../../shared/events/partner-event.js';

/**
 * The event's content in one canonical form: its fields sorted by name, `occurredAt` as the instant it
 * names (so `09:30:00Z` and `09:30:00.000Z` are the same content). Two deliveries are the same event exactly
 * when these are equal.
 */
function canonicalFields(event: PartnerEvent): [string, unknown][] {
  return Object.entries({ ...event, occurredAt: new Date(event.occurredAt).toISOString() }).sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
}

/** SHA-256 (hex) of the canonical JSON of the event, stored with its claim. */
export function eventContentHash(event: PartnerEvent): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalFields(event)))
    .digest('hex');
}

/** The fields whose value differs between two versions of an event (present in one only counts too). */
export function changedFields(stored: PartnerEvent, sent: PartnerEvent): string[] {
  const before = new Map(canonicalFields(stored));
  const after = new Map(canonicalFields(sent));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names.filter((name) => JSON.stringify(before.get(name)) !== JSON.stringify(after.get(name)));
}
