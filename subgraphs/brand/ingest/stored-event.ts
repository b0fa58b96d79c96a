import { isJointCategory } from '../../shared/domain/joint-categories.js';
import { parseStoredPartnerEvent } from '../../shared/events/partner-event.js';
import type { EventDocument } from '../data/brand-models.js';
import type { AcceptedEvent } from '../domain/accepted-event.js';
import { eventContentHash } from '../domain/event-content.js';
import type { PartnerCategories } from '../domain/event-checks.js';

/** An event document as read back: what the store returns is checked, not trusted. */
export type StoredEventDocument = Omit<EventDocument, 'payload' | 'jointCategory' | 'contentHash'> & {
  payload: unknown;
  jointCategory?: unknown;
  contentHash?: unknown;
};

export type StoredEventRead =
  { ok: true; accepted: AcceptedEvent; contentHash: string } | { ok: false; reason: string };

/** The claim of an accepted event: the event document in state `received`, the outbox record to be. */
export function eventDocument(accepted: AcceptedEvent, receivedAt: Date): EventDocument {
  const { event } = accepted;
  return {
    _id: event.eventId,
    type: event.type,
    brandMemberId: event.brandMemberId,
    memberId: accepted.memberId,
    occurredAt: new Date(event.occurredAt),
    receivedAt,
    payload: event,
    contentHash: eventContentHash(event),
    jointCategory: accepted.jointCategory,
    state: 'received',
    guardHeld: true,
    published: false,
  };
}

/** The accepted event a document holds, validated as it was on arrival (except for the time window). */
export function readStoredEvent(doc: StoredEventDocument, partner: PartnerCategories): StoredEventRead {
  const parsed = parseStoredPartnerEvent(doc.payload);
  if (!parsed.ok)
    return { ok: false, reason: `event "${doc._id}" holds an invalid payload: ${parsed.reason}` };
  const { event } = parsed;
  if (event.eventId !== doc._id) {
    return { ok: false, reason: `event "${doc._id}" holds the payload of event "${event.eventId}"` };
  }
  let jointCategory = null;
  if (typeof doc.jointCategory === 'string' && isJointCategory(doc.jointCategory)) {
    jointCategory = doc.jointCategory;
  } else if (doc.jointCategory === undefined && 'category' in event && event.category !== undefined) {
    // Written before the joint category was stored with the event: map it as the checks did.
    jointCategory = partner.categoryMap[event.category] ?? null;
  }
  return {
    ok: true,
    accepted: { event, memberId: doc.memberId ?? null, jointCategory },
    // Documents written before the hash was stored get it from their payload, as it was computed then.
    contentHash: typeof doc.contentHash === 'string' ? doc.contentHash : eventContentHash(event),
  };
}
