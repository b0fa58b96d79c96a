import type { Model } from 'mongoose';
import type { EventDocument } from '../data/brand-models.js';
import type { AcceptedEvent } from '../domain/accepted-event.js';
import { changedFields } from '../domain/event-content.js';
import type { PartnerCategories } from '../domain/event-checks.js';
import { insertNewDocuments } from './insert-new-documents.js';
import type { StoredEventDocument } from './stored-event.js';
import { eventDocument, readStoredEvent } from './stored-event.js';

export type ClaimOutcome =
  { status: 'claimed' | 'duplicate' } | { status: 'conflict' | 'rejected'; reason: string };

export interface ClaimResult {
  /** One per event, in order. */
  outcomes: ClaimOutcome[];
  /** Events claimed by this batch. */
  claimed: AcceptedEvent[];
  /** Events an earlier delivery claimed and a crash left `received`: this batch finishes them too. */
  unfinished: AcceptedEvent[];
}

/** The outcome of a delivery whose id is taken: the same content is a duplicate, other content a conflict. */
function repeatOutcome(
  doc: EventDocument,
  stored: StoredEventDocument | undefined,
  partner: PartnerCategories,
): ClaimOutcome {
  const { eventId } = doc.payload;
  // Deleted since the claim failed: the earlier delivery was void (rejected), and so is this one.
  if (!stored)
    return {
      status: 'rejected',
      reason: `event "${eventId}" was rejected while this delivery arrived; send it again for the reason`,
    };
  const read = readStoredEvent(stored, partner);
  if (read.ok && read.contentHash === doc.contentHash) return { status: 'duplicate' };
  const fields = read.ok ? ` (differs in ${changedFields(read.accepted.event, doc.payload).join(', ')})` : '';
  return {
    status: 'conflict',
    reason: `eventId "${eventId}" was already received with other content${fields}; the first stays recorded, so send a new event under a new eventId`,
  };
}

/**
 * Step 1: inserts each event's document, `_id` = eventId. An id already taken is a duplicate when the stored
 * content hash matches, a conflict when it does not; a duplicate whose document is still `received` (its
 * delivery died half-way) joins the batch to be finished.
 */
export async function claimEvents(
  Event: Model<EventDocument>,
  events: readonly AcceptedEvent[],
  partner: PartnerCategories,
  receivedAt: Date,
): Promise<ClaimResult> {
  const docs = events.map((accepted) => eventDocument(accepted, receivedAt));
  const taken = await insertNewDocuments(Event, docs);
  const claimed = events.filter((_, i) => !taken.has(i));
  if (taken.size === 0) return { outcomes: docs.map(() => ({ status: 'claimed' })), claimed, unfinished: [] };

  const storedDocs = await Event.find(
    { _id: { $in: [...taken].map((i) => docs[i]._id) } },
    { message: 0 },
  ).lean<StoredEventDocument[]>();
  const stored = new Map(storedDocs.map((doc) => [doc._id, doc]));
  const outcomes = docs.map((doc, i): ClaimOutcome =>
    taken.has(i) ? repeatOutcome(doc, stored.get(doc._id), partner) : { status: 'claimed' },
  );
  const claimedIds = new Set(claimed.map((c) => c.event.eventId));
  const unfinished = new Map<string, AcceptedEvent>();
  docs.forEach((doc, i) => {
    const earlier = stored.get(doc._id);
    if (outcomes[i].status !== 'duplicate' || claimedIds.has(doc._id) || earlier?.state !== 'received')
      return;
    const read = readStoredEvent(earlier, partner);
    if (read.ok) unfinished.set(doc._id, read.accepted);
  });
  return { outcomes, claimed, unfinished: [...unfinished.values()] };
}
