import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { DailyActivity } from '../../shared/domain/behaviour.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';
import { JOINT_CATEGORIES } from '../../shared/domain/joint-categories.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import type { EventType, PartnerEvent } from '../../shared/events/partner-event.js';
import type { PurchaseOrder } from '../domain/event-effects.js';
import {
  requiredString,
  requiredNumber,
  requiredBoolean,
  requiredDate,
  requiredMixed,
  nullableString,
  countFromZero,
  stringList,
} from '../../shared/db/schema-fields.js';

/**
 * A member's account at the brand, with the behaviour summary embedded as day buckets so that an event
 * updates it with one atomic `$inc` on one document, and a read of the summary is part of the account read.
 */
export interface AccountDocument {
  _id: string;
  memberId: string | null;
  displayName: string;
  joinedAt: Date;
  days: Record<string, DailyActivity>;
  firstPurchaseAt?: Date | null;
  lifetimeSpendMinor: number;
  /**
   * Ids of events counted in `days` recently: the guard that keeps a repeated or late summary step from
   * counting an event twice. The recovery sweep removes each once its grace period has passed (see
   * GuardedEventWriter).
   */
  pendingEventIds?: string[];
}

/** A purchase's order; refunds decrement what remains of it. */
export interface OrderDocument extends PurchaseOrder {
  _id: string;
}

/**
 * The one referral that counted for a referred account: its `_id` (the referred account; the database is the
 * partner's own) is the unique guard that lets each account be referred once, without a transaction.
 */
export interface ReferralDocument {
  _id: string;
  eventId: string;
  referrerBrandMemberId: string;
  occurredAt: Date;
}

export type EventState = 'received' | 'applied';

/**
 * Every event not yet published, in the terms the partial index of unpublished events can serve: a filter on
 * `published` alone names none of the index's fields, so a server would scan the collection for it.
 */
export const UNPUBLISHED_EVENTS = {
  published: false,
  state: { $in: ['received', 'applied'] satisfies EventState[] },
} as const;

/**
 * A partner event as received. The document is also the outbox record: `published` turns true once the relay
 * has put `message` on the event stream. It holds everything needed to finish the event after a crash: the
 * event as accepted (`payload`, read back through `readStoredEvent`), its member and its joint category.
 */
export interface EventDocument {
  _id: string;
  type: EventType;
  brandMemberId: string;
  memberId: string | null;
  occurredAt: Date;
  receivedAt: Date;
  payload: PartnerEvent;
  /** SHA-256 of the payload's canonical JSON: a later delivery of the id with other content is a conflict. */
  contentHash: string;
  jointCategory: JointCategory | null;
  state: EventState;
  /**
   * True while the event's id may still be in its account's `pendingEventIds`; the recovery sweep clears it
   * when it removes the id there (step 5 of the write protocol), so that sweep reads only these events.
   */
  guardHeld?: boolean;
  published: boolean;
  publishedAt?: Date;
  appliedAt?: Date;
  message?: MemberActivityMessage;
}

const accountSchema = new Schema<AccountDocument>(
  {
    _id: requiredString,
    memberId: nullableString,
    displayName: requiredString,
    joinedAt: requiredDate,
    days: { type: Schema.Types.Mixed, default: {} },
    // Left unset until the first purchase: `$min` against null would keep null (null sorts below dates).
    firstPurchaseAt: { type: Date },
    lifetimeSpendMinor: countFromZero,
    pendingEventIds: { type: [String], default: undefined },
  },
  { collection: 'accounts', versionKey: false, minimize: false },
);
// One account per programme member at a brand; unlinked accounts (memberId null) are not constrained.
// The filter is `$gt: ''` rather than `$type: 'string'` because a query may use a partial index only when
// it implies the filter: `{ memberId: 'M1' }` (or `$in` of ids) implies `$gt: ''`, never `$type`
// (docs/architecture.md §5).
accountSchema.index({ memberId: 1 }, { unique: true, partialFilterExpression: { memberId: { $gt: '' } } });

const orderSchema = new Schema<OrderDocument>(
  {
    _id: requiredString,
    brandMemberId: requiredString,
    memberId: nullableString,
    amountMinor: requiredNumber,
    refundedMinor: countFromZero,
    remainingMinor: requiredNumber,
    purchaseEventId: requiredString,
    refundEventIds: stringList,
    currency: requiredString,
    category: requiredString,
    jointCategory: { type: String, enum: JOINT_CATEGORIES, required: true },
    occurredAt: requiredDate,
  },
  { collection: 'orders', versionKey: false },
);
orderSchema.index({ brandMemberId: 1, occurredAt: -1 });
// Programme analytics select orders by time across accounts.
orderSchema.index({ occurredAt: 1 });

const eventSchema = new Schema<EventDocument>(
  {
    _id: requiredString,
    type: requiredString,
    brandMemberId: requiredString,
    memberId: nullableString,
    occurredAt: requiredDate,
    receivedAt: requiredDate,
    payload: requiredMixed,
    contentHash: { type: String },
    jointCategory: nullableString,
    state: requiredString,
    guardHeld: { type: Boolean },
    published: requiredBoolean,
    publishedAt: { type: Date },
    appliedAt: { type: Date },
    message: { type: Schema.Types.Mixed },
  },
  { collection: 'events', versionKey: false, minimize: false },
);
// The relay's and the recovery sweep's scans read only events not yet published: applied ones for the relay,
// received ones never applied for the sweep. The index holds just those (a handful once the relay keeps up),
// not every event ever received; both queries say `published: false`, so MongoDB uses it (§5).
eventSchema.index({ state: 1, receivedAt: 1 }, { partialFilterExpression: { published: false } });
// The retention sweep deletes events by age.
eventSchema.index({ receivedAt: 1 });
// The reconciliation sweep pages through published events by publication time (docs/architecture.md §6).
eventSchema.index({ publishedAt: 1, _id: 1 });
// The sweep's step 5 reads only the events whose guard is still held (a small, shrinking set).
eventSchema.index({ appliedAt: 1 }, { partialFilterExpression: { guardHeld: true } });
// Erasure deletes a member's events by account, and removes the account from referrals others made
// (docs/architecture.md §7; partial on `$gt: ''` so that an `$in` of account ids can use it, §5).
eventSchema.index({ brandMemberId: 1 });
eventSchema.index(
  { 'payload.referredBrandMemberId': 1 },
  { partialFilterExpression: { 'payload.referredBrandMemberId': { $gt: '' } } },
);

const referralSchema = new Schema<ReferralDocument>(
  {
    _id: requiredString,
    eventId: requiredString,
    referrerBrandMemberId: requiredString,
    occurredAt: requiredDate,
  },
  { collection: 'referrals', versionKey: false },
);
// Erasure deletes the referrals a member's account made.
referralSchema.index({ referrerBrandMemberId: 1 });

export interface BrandModels {
  Account: Model<AccountDocument>;
  Order: Model<OrderDocument>;
  Event: Model<EventDocument>;
  Referral: Model<ReferralDocument>;
}

export function brandModels(connection: Connection): BrandModels {
  return {
    Account: connection.model<AccountDocument>('Account', accountSchema),
    Order: connection.model<OrderDocument>('Order', orderSchema),
    Event: connection.model<EventDocument>('Event', eventSchema),
    Referral: connection.model<ReferralDocument>('Referral', referralSchema),
  };
}
