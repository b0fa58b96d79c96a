import type { Model } from 'mongoose';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import type { EventDocument } from './brand-models.js';

/** Where a page of published events starts: after this event (publication time, then id). */
export interface PublishedEventCursor {
  publishedAt: Date;
  id: string;
}

export interface PublishedEvent {
  _id: string;
  publishedAt: Date;
  message?: MemberActivityMessage;
}

/**
 * The brand's outbox read as a log of what it published, in publication order: what a consumer that must
 * see every event compares its own records with (the reconciliation sweep, docs/architecture.md §6).
 * Read-only; the brand keeps ownership of the collection and of the index that serves this query.
 */
export class PublishedEventLog {
  constructor(
    readonly partner: string,
    private readonly Event: Model<EventDocument>,
  ) {}

  /**
   * Events published in (`from`, `until`], after `cursor`, oldest first, at most `limit`. Served by the
   * `{ publishedAt: 1, _id: 1 }` index: one range scan per page, whatever the size of the collection.
   */
  async page(options: {
    from: Date;
    until: Date;
    cursor: PublishedEventCursor | null;
    limit: number;
  }): Promise<PublishedEvent[]> {
    const { from, until, cursor, limit } = options;
    const range = { publishedAt: { $gt: from, $lte: until } };
    const filter = cursor
      ? {
          ...range,
          $or: [
            { publishedAt: { $gt: cursor.publishedAt } },
            { publishedAt: cursor.publishedAt, _id: { $gt: cursor.id } },
          ],
        }
      : range;
    return this.Event.find(filter, { publishedAt: 1, message: 1 })
      .sort({ publishedAt: 1, _id: 1 })
      .limit(limit)
      .lean<PublishedEvent[]>();
  }
}
