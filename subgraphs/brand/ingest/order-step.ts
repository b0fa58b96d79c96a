import { parseStoredPartnerEvent } from '../../shared/events/partner-event.js';
import type { BrandModels, OrderDocument, ReferralDocument } from '../data/brand-models.js';
import type { AcceptedEvent, Purchase, Referral, Refund } from '../domain/accepted-event.js';
import { isPurchase, isReferral, isRefund } from '../domain/accepted-event.js';
import type { RefundedOrder } from '../domain/event-effects.js';
import { purchaseOrder } from '../domain/event-effects.js';
import { insertNewDocuments } from './insert-new-documents.js';

export interface OrderStepResult {
  /** Refunds applied to their order, with the order as each found it. */
  refunded: Map<string, RefundedOrder>;
  /** Events that cannot apply after all (a concurrent event got there first), with the reason. */
  voided: Map<string, string>;
}

/**
 * Purchases: upsert the order with `$setOnInsert` (a repeat does nothing), then read back whose order it is:
 * a different purchase that raced for the same order id keeps it, and this one is void.
 */
async function recordPurchases(
  models: BrandModels,
  purchases: readonly AcceptedEvent<Purchase>[],
  voided: Map<string, string>,
): Promise<void> {
  if (purchases.length === 0) return;
  await models.Order.bulkWrite(
    purchases.map((p) => ({
      updateOne: {
        filter: { _id: p.event.orderId },
        update: { $setOnInsert: purchaseOrder(p) },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  const orders = await models.Order.find(
    { _id: { $in: purchases.map((p) => p.event.orderId) } },
    { purchaseEventId: 1 },
  ).lean<Pick<OrderDocument, '_id' | 'purchaseEventId'>[]>();
  const ownerOf = new Map(orders.map((o) => [o._id, o.purchaseEventId]));
  for (const { event } of purchases) {
    const owner = ownerOf.get(event.orderId);
    if (owner !== event.eventId) {
      voided.set(event.eventId, `orderId "${event.orderId}" was already recorded by event "${owner}"`);
    }
  }
}

/** The amounts of refunds applied before, read from their stored events (this batch's are known). */
async function refundAmounts(
  models: BrandModels,
  ids: readonly string[],
  known: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const amounts = new Map(known);
  const missing = ids.filter((id) => !amounts.has(id));
  if (missing.length === 0) return amounts;
  const docs = await models.Event.find({ _id: { $in: missing } }, { payload: 1 }).lean<
    { _id: string; payload: unknown }[]
  >();
  for (const doc of docs) {
    const parsed = parseStoredPartnerEvent(doc.payload);
    if (!parsed.ok || parsed.event.type !== 'refund') {
      throw new Error(
        `refund "${doc._id}" cannot be read back: ${parsed.ok ? 'not a refund' : parsed.reason}`,
      );
    }
    amounts.set(doc._id, parsed.event.amountMinor);
  }
  const lost = missing.filter((id) => !amounts.has(id));
  if (lost.length > 0) throw new Error(`refund event(s) ${lost.join(', ')} named by an order are missing`);
  return amounts;
}

/**
 * Refunds, in batch order: decrement the order's remaining amount only if the event id is not yet in its
 * `refundEventIds` and enough remains, pushing the id in the same update. Then read the orders back: a refund
 * whose id is in its order applied (now or on an earlier run); any other is void.
 */
async function applyRefunds(
  models: BrandModels,
  refunds: readonly AcceptedEvent<Refund>[],
  result: OrderStepResult,
): Promise<void> {
  if (refunds.length === 0) return;
  await models.Order.bulkWrite(
    refunds.map(({ event }) => ({
      updateOne: {
        filter: {
          _id: event.orderId,
          refundEventIds: { $ne: event.eventId },
          remainingMinor: { $gte: event.amountMinor },
        },
        update: {
          $inc: { remainingMinor: -event.amountMinor, refundedMinor: event.amountMinor },
          $push: { refundEventIds: event.eventId },
        },
      },
    })),
    // In order: refunds of one order in one batch apply as sent.
    { ordered: true },
  );
  const orders = await models.Order.find({ _id: { $in: refunds.map((r) => r.event.orderId) } }).lean<
    OrderDocument[]
  >();
  const orderById = new Map(orders.map((o) => [o._id, o]));
  const earlierOf = (event: Refund, order: OrderDocument) =>
    order.refundEventIds.slice(0, order.refundEventIds.indexOf(event.eventId));
  const applied = refunds.flatMap(({ event }) => {
    const order = orderById.get(event.orderId);
    if (order?.refundEventIds.includes(event.eventId)) return [{ event, order }];
    result.voided.set(event.eventId, `order "${event.orderId}" no longer has that much left to refund`);
    return [];
  });
  const amounts = await refundAmounts(
    models,
    applied.flatMap(({ event, order }) => earlierOf(event, order)),
    new Map(refunds.map(({ event }) => [event.eventId, event.amountMinor])),
  );
  for (const { event, order } of applied) {
    const refundedBeforeMinor = earlierOf(event, order).reduce((sum, id) => sum + amounts.get(id)!, 0);
    result.refunded.set(event.eventId, {
      amountMinor: order.amountMinor,
      occurredAt: order.occurredAt,
      jointCategory: order.jointCategory,
      refundedBeforeMinor,
    });
  }
}

/**
 * Referrals: insert the referral claim keyed by the referred account. A taken key is this referral's own
 * claim on a repeat; any other referral's claim makes this one void.
 */
async function claimReferrals(
  models: BrandModels,
  referrals: readonly AcceptedEvent<Referral>[],
  voided: Map<string, string>,
): Promise<void> {
  const taken = await insertNewDocuments(
    models.Referral,
    referrals.map(({ event }): ReferralDocument => ({
      _id: event.referredBrandMemberId,
      eventId: event.eventId,
      referrerBrandMemberId: event.brandMemberId,
      occurredAt: new Date(event.occurredAt),
    })),
  );
  if (taken.size === 0) return;
  const repeats = referrals.filter((_, i) => taken.has(i)).map((r) => r.event);
  const claims = await models.Referral.find(
    { _id: { $in: repeats.map((e) => e.referredBrandMemberId) } },
    { eventId: 1 },
  ).lean<Pick<ReferralDocument, '_id' | 'eventId'>[]>();
  const countedBy = new Map(claims.map((c) => [c._id, c.eventId]));
  for (const event of repeats) {
    const counted = countedBy.get(event.referredBrandMemberId);
    if (counted !== event.eventId) {
      voided.set(
        event.eventId,
        `referredBrandMemberId "${event.referredBrandMemberId}" was already referred by event "${counted}"`,
      );
    }
  }
}

/** Step 2: the order of each purchase and refund, the referral claim of each referral (others have none). */
export async function writeOrders(
  models: BrandModels,
  events: readonly AcceptedEvent[],
): Promise<OrderStepResult> {
  const result: OrderStepResult = { refunded: new Map(), voided: new Map() };
  // Purchases first: a refund in the same run may be of one of them.
  await recordPurchases(models, events.filter(isPurchase), result.voided);
  await applyRefunds(models, events.filter(isRefund), result);
  await claimReferrals(models, events.filter(isReferral), result.voided);
  return result;
}
