import type { Model } from 'mongoose';
import type { EventDocument } from '../data/brand-models.js';
import type { AcceptedEvent } from '../domain/accepted-event.js';
import type { PartnerCategories } from '../domain/event-checks.js';
import { insertNewDocuments } from './insert-new-documents.js';
import type { StoredEventDocument } from './stored-event.js';
import { eventDocument, readStoredEvent } from './stored-event.js';

export type ClaimOutcome = { status: 'claimed' } | { status: 'duplicate' };

export interface ClaimResult {
  /** One per event, in order. */
  outcomes: ClaimOutcome[];
  /** Events claimed by this batch. */
  claimed: AcceptedEvent[];
  /** Events an earlier delivery claimed and a crash left `received`: this batch finishes them too. */
  unfinished: AcceptedEvent[];
}

/**
 * Step 1: inserts each event's document, `_id` = eventId. An id already taken is a duplicate; when its
 * document is still `received` (its delivery died half-way), it joins the batch to be finished.
 */
export async function claimEvents(
  Event: Model<EventDocument>,
  events: readonly AcceptedEvent[],
  partner: PartnerCategories,
  receivedAt: Date,
): Promise<ClaimResult> {
  const taken = await insertNewDocuments(
    Event,
    events.map((accepted) => eventDocument(accepted, receivedAt)),
  );
  const outcomes: ClaimOutcome[] = [];
  const claimed: AcceptedEvent[] = [];
  events.forEach((accepted, i) => {
    outcomes.push({ status: taken.has(i) ? 'duplicate' : 'claimed' });
    if (!taken.has(i)) claimed.push(accepted);
  });
  if (taken.size === 0) return { outcomes, claimed, unfinished: [] };

  const claimedIds = new Set(claimed.map((c) => c.event.eventId));
  const resumable = [...new Set([...taken].map((i) => events[i].event.eventId))].filter(
    (id) => !claimedIds.has(id),
  );
  const received = await Event.find({ _id: { $in: resumable }, state: 'received' }).lean<
    StoredEventDocument[]
  >();
  // A document that cannot be read back is left to the recovery sweep, which reports it.
  const unfinished = received.flatMap((doc) => {
    const read = readStoredEvent(doc, partner);
    return read.ok ? [read.accepted] : [];
  });
  return { outcomes, claimed, unfinished };
}
