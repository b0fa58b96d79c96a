import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import type { PartnerEvent } from '../../shared/events/partner-event.js';
import { parsePartnerEvent } from '../../shared/events/partner-event.js';
import type { BehaviourEvent } from '../domain/behaviour-increments.js';
import { behaviourIncrements } from '../domain/behaviour-increments.js';
import type { AccountDocument, BrandModels, EventDocument, OrderDocument } from '../data/brand-models.js';

export type IngestStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IngestResult {
  index: number;
  eventId?: string;
  status: IngestStatus;
  reason?: string;
}

/** Hooks that tests use to crash the pipeline between its writes. */
export interface IngestFaults {
  afterClaim?: (eventId: string) => void;
  afterOrder?: (eventId: string) => void;
  afterSummary?: (eventId: string) => void;
  afterMarkApplied?: (eventId: string) => void;
}

export interface IngestorOptions {
  now?: () => Date;
  faults?: IngestFaults;
  /** Called after events are applied (the relay uses it to publish without waiting for its next poll). */
  onApplied?: () => void;
}

class Rejection extends Error {}

type Purchase = Extract<PartnerEvent, { type: 'purchase' }>;
type Refund = Extract<PartnerEvent, { type: 'refund' }>;

/** What applying one event writes to the account and publishes: derived from the event alone. */
interface Application {
  message: MemberActivityMessage;
  behaviour: BehaviourEvent;
  spendChange: number;
}

/** Indexes of the documents an unordered insertMany refused as duplicates (any other failure is rethrown). */
function duplicateIndexes(error: unknown): Set<number> {
  const writeErrors = (
    error as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }
  )?.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0 || list.some((e) => e.code !== 11000)) throw error;
  return new Set(list.map((e) => e.index));
}

/**
 * Ingests partner events without multi-document transactions. Each event takes these writes, in order:
 *
 *   1. claim   insert the event document (`_id` = eventId, state `received`): the idempotency key and the
 *              outbox record in one write. A second delivery of the same id stops here as `duplicate`.
 *   2. order   purchase: upsert the order with `$setOnInsert` (a repeat does nothing); refund: decrement
 *              the order's remaining amount only if the event id is not yet in its `refundEventIds` and
 *              enough remains, pushing the id in the same update.
 *   3. summary `$inc` the account's day buckets only if the event id is not in `pendingEventIds`, pushing
 *              it in the same update; so a repeat of this step cannot count twice.
 *   4. applied mark the event `applied` (with `appliedAt`) and its stream message: the relay publishes only
 *              applied events.
 *   5. tidy    the recovery sweep `$pull`s the id from `pendingEventIds` once the event has been applied
 *              for longer than the grace period. Not sooner: a slow delivery still on its way to step 3
 *              (say, the first of two concurrent deliveries) must find the guard in place.
 *
 * A crash between any two steps leaves the event `received`; the next delivery of the same event, or
 * `recover()`, runs the steps again, and each step's guard makes the repeat a no-op. Nothing is lost (the
 * claim is the first write) and nothing is counted twice.
 *
 * A request's events go through each step together (one bulk write per step), refunds last and one by one,
 * since they depend on the purchases before them.
 */
export class BrandEventIngestor {
  private readonly now: () => Date;

  constructor(
    private readonly models: BrandModels,
    private readonly partner: PartnerConfig,
    private readonly options: IngestorOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async ingest(raws: readonly unknown[]): Promise<IngestResult[]> {
    const now = this.now();
    const results: IngestResult[] = new Array(raws.length);
    const reject = (index: number, eventId: string | undefined, reason: string) =>
      (results[index] = { index, eventId, status: 'rejected', reason });
    const valid: { index: number; event: PartnerEvent }[] = [];
    raws.forEach((raw, index) => {
      const parsed = parsePartnerEvent(raw, now);
      if (parsed.ok) valid.push({ index, event: parsed.event });
      else reject(index, parsed.eventId, parsed.reason);
    });
    const accountIds = [...new Set(valid.map((v) => v.event.brandMemberId))];
    const accounts = await this.models.Account.find({ _id: { $in: accountIds } }, { memberId: 1 }).lean<
      Pick<AccountDocument, '_id' | 'memberId'>[]
    >();
    const memberOf = new Map(accounts.map((a) => [a._id, a.memberId ?? null]));

    const batch: { index: number; event: Exclude<PartnerEvent, Refund> }[] = [];
    const refunds: { index: number; event: Refund }[] = [];
    for (const item of valid) {
      try {
        if (!memberOf.has(item.event.brandMemberId)) {
          throw new Rejection(`unknown brandMemberId "${item.event.brandMemberId}" at ${this.partner.key}`);
        }
        this.jointCategoryOf(item.event);
        if (item.event.type === 'refund') refunds.push({ index: item.index, event: item.event });
        else batch.push({ index: item.index, event: item.event });
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        reject(item.index, item.event.eventId, error.message);
      }
    }
    for (const { index, reason } of await this.checkPurchases(batch))
      reject(index, batch.find((b) => b.index === index)?.event.eventId, reason);
    const accepted = batch.filter((b) => !results[b.index]);
    for (const [index, status] of await this.ingestTogether(accepted, memberOf, now)) {
      results[index] = { index, eventId: accepted.find((a) => a.index === index)!.event.eventId, status };
    }
    for (const { index, event } of refunds) {
      results[index] = {
        index,
        eventId: event.eventId,
        ...(await this.ingestRefund(event, memberOf.get(event.brandMemberId) ?? null, now)),
      };
    }
    return results;
  }

  /** A purchase may not reuse an order id, neither one already recorded nor one earlier in the same request. */
  private async checkPurchases(
    batch: readonly { index: number; event: PartnerEvent }[],
  ): Promise<{ index: number; reason: string }[]> {
    const purchases = batch.filter(
      (b): b is { index: number; event: Purchase } => b.event.type === 'purchase',
    );
    if (purchases.length === 0) return [];
    const existing = await this.models.Order.find(
      { _id: { $in: purchases.map((p) => p.event.orderId) } },
      { purchaseEventId: 1 },
    ).lean<Pick<OrderDocument, '_id' | 'purchaseEventId'>[]>();
    const recordedBy = new Map(existing.map((o) => [o._id, o.purchaseEventId]));
    const problems: { index: number; reason: string }[] = [];
    for (const { index, event } of purchases) {
      const owner = recordedBy.get(event.orderId);
      if (owner !== undefined && owner !== event.eventId) {
        problems.push({
          index,
          reason: `orderId "${event.orderId}" was already recorded by event "${owner}"`,
        });
      } else {
        recordedBy.set(event.orderId, event.eventId);
      }
    }
    return problems;
  }

  /** Steps 1-5 for a set of non-refund events, one bulk write per step. */
  private async ingestTogether(
    items: readonly { index: number; event: Exclude<PartnerEvent, Refund> }[],
    memberOf: ReadonlyMap<string, string | null>,
    now: Date,
  ): Promise<Map<number, IngestStatus>> {
    const statuses = new Map<number, IngestStatus>();
    if (items.length === 0) return statuses;
    const docs = items.map(({ event }) =>
      this.eventDocument(event, memberOf.get(event.brandMemberId) ?? null, now),
    );
    let duplicates = new Set<number>();
    try {
      await this.models.Event.insertMany(docs, { ordered: false, lean: true });
    } catch (error) {
      duplicates = duplicateIndexes(error);
    }
    const claimed: EventDocument[] = [];
    docs.forEach((doc, i) => {
      statuses.set(items[i].index, duplicates.has(i) ? 'duplicate' : 'accepted');
      if (!duplicates.has(i)) claimed.push(doc);
    });
    // A duplicate of an event a crash left half-done: finish it now.
    if (duplicates.size > 0) {
      const ids = [...duplicates].map((i) => docs[i]._id);
      const unfinished = await this.models.Event.find({ _id: { $in: ids }, state: 'received' }).lean<
        EventDocument[]
      >();
      for (const doc of unfinished) await this.complete(doc);
    }
    if (claimed.length === 0) return statuses;
    for (const doc of claimed) this.options.faults?.afterClaim?.(doc._id);

    const purchases = claimed
      .map((d) => d.payload as unknown as PartnerEvent)
      .filter((e): e is Purchase => e.type === 'purchase');
    if (purchases.length > 0) {
      await this.models.Order.bulkWrite(
        purchases.map((p) => ({
          updateOne: {
            filter: { _id: p.orderId },
            update: { $setOnInsert: this.orderFields(p, memberOf.get(p.brandMemberId) ?? null) },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    }
    for (const doc of claimed) this.options.faults?.afterOrder?.(doc._id);

    const applications = claimed.map((doc) => ({
      doc,
      application: this.application(doc.payload as unknown as Exclude<PartnerEvent, Refund>, doc.memberId),
    }));
    await this.models.Account.bulkWrite(
      applications.map(({ doc, application }) => ({ updateOne: this.summaryUpdate(doc, application) })),
      { ordered: false },
    );
    for (const doc of claimed) this.options.faults?.afterSummary?.(doc._id);
    await this.models.Event.bulkWrite(
      applications.map(({ doc, application }) => ({
        updateOne: {
          filter: { _id: doc._id },
          update: { $set: { state: 'applied', appliedAt: this.now(), message: application.message } },
        },
      })),
      { ordered: false },
    );
    for (const doc of claimed) this.options.faults?.afterMarkApplied?.(doc._id);
    this.options.onApplied?.();
    return statuses;
  }

  private async ingestRefund(
    event: Refund,
    memberId: string | null,
    now: Date,
  ): Promise<{ status: IngestStatus; reason?: string }> {
    const order = await this.models.Order.findById(event.orderId, {
      brandMemberId: 1,
      remainingMinor: 1,
      refundEventIds: 1,
    }).lean<OrderDocument>();
    if (!order)
      return { status: 'rejected', reason: `orderId "${event.orderId}" is not a recorded purchase` };
    if (order.brandMemberId !== event.brandMemberId)
      return { status: 'rejected', reason: `orderId "${event.orderId}" belongs to another member` };
    if (!order.refundEventIds.includes(event.eventId) && order.remainingMinor < event.amountMinor) {
      return {
        status: 'rejected',
        reason: `amountMinor ${event.amountMinor} exceeds the ${order.remainingMinor} that remains of order "${event.orderId}"`,
      };
    }
    const doc = this.eventDocument(event, memberId, now);
    try {
      await this.models.Event.insertMany([doc], { ordered: false, lean: true });
    } catch (error) {
      duplicateIndexes(error);
      const existing = await this.models.Event.findById(event.eventId).lean<EventDocument>();
      if (existing?.state === 'received') await this.complete(existing);
      return { status: 'duplicate' };
    }
    this.options.faults?.afterClaim?.(event.eventId);
    if ((await this.complete(doc)) === 'void') {
      return {
        status: 'rejected',
        reason: `order "${event.orderId}" no longer has that much left to refund`,
      };
    }
    return { status: 'accepted' };
  }

  private eventDocument(event: PartnerEvent, memberId: string | null, now: Date): EventDocument {
    return {
      _id: event.eventId,
      type: event.type,
      brandMemberId: event.brandMemberId,
      memberId,
      occurredAt: new Date(event.occurredAt),
      receivedAt: now,
      payload: event as unknown as Record<string, unknown>,
      state: 'received',
      published: false,
    };
  }

  private jointCategoryOf(event: PartnerEvent): JointCategory | undefined {
    const local = 'category' in event ? event.category : undefined;
    if (local === undefined) return undefined;
    const joint = this.partner.categoryMap[local];
    if (!joint) {
      throw new Rejection(
        `unknown category "${local}" for ${this.partner.key}; known: ${Object.keys(this.partner.categoryMap).join(', ')}`,
      );
    }
    return joint;
  }

  private orderFields(event: Purchase, memberId: string | null): Omit<OrderDocument, '_id'> {
    return {
      brandMemberId: event.brandMemberId,
      memberId,
      amountMinor: event.amountMinor,
      refundedMinor: 0,
      remainingMinor: event.amountMinor,
      purchaseEventId: event.eventId,
      refundEventIds: [],
      currency: event.currency,
      category: event.category,
      jointCategory: this.jointCategoryOf(event)!,
      occurredAt: new Date(event.occurredAt),
    };
  }

  private baseMessage(event: PartnerEvent, memberId: string | null): MemberActivityMessage {
    return {
      partner: this.partner.key,
      eventId: event.eventId,
      type: event.type,
      brandMemberId: event.brandMemberId,
      memberId,
      occurredAt: new Date(event.occurredAt).toISOString(),
    };
  }

  private application(event: Exclude<PartnerEvent, Refund>, memberId: string | null): Application {
    const occurredAt = new Date(event.occurredAt);
    const message = this.baseMessage(event, memberId);
    switch (event.type) {
      case 'purchase':
        return {
          message: { ...message, amountMinor: event.amountMinor, orderId: event.orderId },
          behaviour: {
            type: 'purchase',
            occurredAt,
            amountMinor: event.amountMinor,
            jointCategory: this.jointCategoryOf(event)!,
          },
          spendChange: event.amountMinor,
        };
      case 'browse':
        return {
          message,
          behaviour: {
            type: 'browse',
            occurredAt,
            seconds: event.seconds,
            jointCategory: this.jointCategoryOf(event)!,
          },
          spendChange: 0,
        };
      case 'interaction':
        return {
          message,
          behaviour: { type: 'interaction', occurredAt, jointCategory: this.jointCategoryOf(event) },
          spendChange: 0,
        };
      case 'referral':
        return { message, behaviour: { type: 'referral', occurredAt }, spendChange: 0 };
    }
  }

  /** Step 3: guarded by `pendingEventIds`, so running it twice for the same event counts it once. */
  private summaryUpdate(
    doc: EventDocument,
    application: Application,
  ): { filter: Record<string, unknown>; update: Record<string, unknown> } {
    return {
      filter: { _id: doc.brandMemberId, pendingEventIds: { $ne: doc._id } },
      update: {
        $inc: { ...behaviourIncrements(application.behaviour), lifetimeSpendMinor: application.spendChange },
        $push: { pendingEventIds: doc._id },
        ...(application.behaviour.type === 'purchase'
          ? { $min: { firstPurchaseAt: application.behaviour.occurredAt } }
          : {}),
      },
    };
  }

  /** Steps 2-5 for one claimed event; safe to run again after a crash at any point. */
  private async complete(doc: EventDocument): Promise<'applied' | 'void'> {
    const event = doc.payload as unknown as PartnerEvent;
    let application: Application;
    if (event.type === 'refund') {
      const refund = await this.applyRefund(event);
      if (!refund) {
        await this.models.Event.deleteOne({ _id: event.eventId, state: 'received' });
        return 'void';
      }
      application = {
        message: {
          ...this.baseMessage(event, doc.memberId),
          amountMinor: event.amountMinor,
          orderId: event.orderId,
          orderAmountMinor: refund.order.amountMinor,
          refundedBeforeMinor: refund.refundedBeforeMinor,
          purchasedAt: new Date(refund.order.occurredAt).toISOString(),
        },
        behaviour: {
          type: 'refund',
          occurredAt: new Date(event.occurredAt),
          amountMinor: event.amountMinor,
          jointCategory: refund.order.jointCategory as JointCategory,
          purchasedAt: new Date(refund.order.occurredAt),
        },
        spendChange: -event.amountMinor,
      };
    } else {
      if (event.type === 'purchase') {
        await this.models.Order.updateOne(
          { _id: event.orderId },
          { $setOnInsert: this.orderFields(event, doc.memberId) },
          { upsert: true },
        );
      }
      application = this.application(event, doc.memberId);
    }
    this.options.faults?.afterOrder?.(event.eventId);
    const { filter, update } = this.summaryUpdate(doc, application);
    await this.models.Account.updateOne(filter, update);
    this.options.faults?.afterSummary?.(event.eventId);
    await this.models.Event.updateOne(
      { _id: event.eventId },
      { $set: { state: 'applied', appliedAt: this.now(), message: application.message } },
    );
    this.options.faults?.afterMarkApplied?.(event.eventId);
    this.options.onApplied?.();
    return 'applied';
  }

  /** The order after the refund, with what had been refunded before it; null when not enough remains. */
  private async applyRefund(
    event: Refund,
  ): Promise<{ order: OrderDocument; refundedBeforeMinor: number } | null> {
    const { Order, Event } = this.models;
    let order = await Order.findOneAndUpdate(
      {
        _id: event.orderId,
        refundEventIds: { $ne: event.eventId },
        remainingMinor: { $gte: event.amountMinor },
      },
      {
        $inc: { remainingMinor: -event.amountMinor, refundedMinor: event.amountMinor },
        $push: { refundEventIds: event.eventId },
      },
      { returnDocument: 'after' },
    ).lean<OrderDocument>();
    if (!order) {
      order = await Order.findById(event.orderId).lean<OrderDocument>();
      if (!order?.refundEventIds.includes(event.eventId)) return null;
    }
    const earlier = order.refundEventIds.slice(0, order.refundEventIds.indexOf(event.eventId));
    const earlierEvents = earlier.length
      ? await Event.find({ _id: { $in: earlier } }, { payload: 1 }).lean<Pick<EventDocument, 'payload'>[]>()
      : [];
    const refundedBeforeMinor = earlierEvents.reduce((sum, e) => sum + Number(e.payload.amountMinor ?? 0), 0);
    return { order, refundedBeforeMinor };
  }

  /**
   * Finishes events a crash left `received` for longer than `graceMs`, and removes from `pendingEventIds`
   * the ids of events applied longer than `graceMs` ago (step 5). Returns how many events it finished.
   */
  async recover(graceMs = 30_000): Promise<number> {
    const { Account, Event } = this.models;
    const cutoff = new Date(this.now().getTime() - graceMs);
    const stuck = await Event.find({ state: 'received', receivedAt: { $lte: cutoff } })
      .limit(1000)
      .lean<EventDocument[]>();
    for (const doc of stuck) await this.complete(doc);
    const accounts = await Account.find(
      { 'pendingEventIds.0': { $exists: true } },
      { pendingEventIds: 1 },
    ).lean<AccountDocument[]>();
    const ids = accounts.flatMap((a) => a.pendingEventIds ?? []);
    const settledDocs = await Event.find(
      { _id: { $in: ids }, state: 'applied', appliedAt: { $lte: cutoff } },
      { _id: 1 },
    ).lean<Pick<EventDocument, '_id'>[]>();
    const settled = new Set(settledDocs.map((e) => e._id));
    const tidy = accounts
      .map((a) => ({ id: a._id, done: (a.pendingEventIds ?? []).filter((e) => settled.has(e)) }))
      .filter((a) => a.done.length > 0);
    if (tidy.length > 0) {
      await Account.bulkWrite(
        tidy.map((a) => ({
          updateOne: { filter: { _id: a.id }, update: { $pull: { pendingEventIds: { $in: a.done } } } },
        })),
        { ordered: false },
      );
    }
    return stuck.length;
  }
}
