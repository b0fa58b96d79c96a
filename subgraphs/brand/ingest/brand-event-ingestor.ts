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
  /** Called after each event is applied (the relay uses it to publish without waiting for its next poll). */
  onApplied?: () => void;
  /** How many members' events are processed at once (each member's in order). */
  concurrency?: number;
}

class Rejection extends Error {}

const isDuplicateKey = (error: unknown): boolean => (error as { code?: number })?.code === 11000;

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
 *   4. applied mark the event `applied` with its stream message: the relay publishes only applied events.
 *   5. tidy    `$pull` the id from `pendingEventIds`.
 *
 * A crash between any two steps leaves the event `received` (or a stale id in `pendingEventIds`); the next
 * delivery of the same event, or `recover()`, runs the steps again, and each step's guard makes the repeat
 * a no-op. Nothing is lost (the claim is the first write) and nothing is counted twice.
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
    const valid: { index: number; event: PartnerEvent }[] = [];
    raws.forEach((raw, index) => {
      const parsed = parsePartnerEvent(raw, now);
      if (parsed.ok) valid.push({ index, event: parsed.event });
      else results[index] = { index, eventId: parsed.eventId, status: 'rejected', reason: parsed.reason };
    });
    const accountIds = [...new Set(valid.map((v) => v.event.brandMemberId))];
    const accounts = await this.models.Account.find({ _id: { $in: accountIds } }, { memberId: 1 }).lean<
      Pick<AccountDocument, '_id' | 'memberId'>[]
    >();
    const memberOf = new Map(accounts.map((a) => [a._id, a.memberId ?? null]));

    // Each member's events in the order sent (a refund may follow its purchase); members side by side.
    const byAccount = new Map<string, { index: number; event: PartnerEvent }[]>();
    for (const item of valid)
      byAccount.set(item.event.brandMemberId, [...(byAccount.get(item.event.brandMemberId) ?? []), item]);
    const queues = [...byAccount.values()];
    const worker = async (): Promise<void> => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const { index, event } of queue) {
          results[index] = { index, eventId: event.eventId, ...(await this.ingestOne(event, memberOf, now)) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(queues.length, this.options.concurrency ?? 8) }, worker));
    return results;
  }

  private async ingestOne(
    event: PartnerEvent,
    memberOf: ReadonlyMap<string, string | null>,
    now: Date,
  ): Promise<{ status: IngestStatus; reason?: string }> {
    try {
      if (!memberOf.has(event.brandMemberId))
        throw new Rejection(`unknown brandMemberId "${event.brandMemberId}" at ${this.partner.key}`);
      this.jointCategoryOf(event);
      await this.checkOrder(event);
    } catch (error) {
      if (error instanceof Rejection) return { status: 'rejected', reason: error.message };
      throw error;
    }
    let claimed: EventDocument;
    try {
      claimed = (
        await this.models.Event.create({
          _id: event.eventId,
          type: event.type,
          brandMemberId: event.brandMemberId,
          memberId: memberOf.get(event.brandMemberId) ?? null,
          occurredAt: new Date(event.occurredAt),
          receivedAt: now,
          payload: event,
          state: 'received',
          published: false,
        })
      ).toObject() as EventDocument;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.models.Event.findById(event.eventId).lean<EventDocument>();
      if (existing?.state === 'received') await this.complete(existing);
      return { status: 'duplicate' };
    }
    this.options.faults?.afterClaim?.(event.eventId);
    const outcome = await this.complete(claimed);
    if (outcome === 'void')
      return {
        status: 'rejected',
        reason: `order "${(event as { orderId: string }).orderId}" no longer has that much left to refund`,
      };
    return { status: 'accepted' };
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

  /** Order rules checked before anything is written, so a rejected event writes nothing. */
  private async checkOrder(event: PartnerEvent): Promise<void> {
    if (event.type !== 'purchase' && event.type !== 'refund') return;
    const order = await this.models.Order.findById(event.orderId, {
      brandMemberId: 1,
      purchaseEventId: 1,
      remainingMinor: 1,
      refundEventIds: 1,
    }).lean<OrderDocument>();
    if (event.type === 'purchase') {
      if (order && order.purchaseEventId !== event.eventId) {
        throw new Rejection(
          `orderId "${event.orderId}" was already recorded by event "${order.purchaseEventId}"`,
        );
      }
      return;
    }
    if (!order) throw new Rejection(`orderId "${event.orderId}" is not a recorded purchase`);
    if (order.brandMemberId !== event.brandMemberId)
      throw new Rejection(`orderId "${event.orderId}" belongs to another member`);
    if (!order.refundEventIds.includes(event.eventId) && order.remainingMinor < event.amountMinor) {
      throw new Rejection(
        `amountMinor ${event.amountMinor} exceeds the ${order.remainingMinor} that remains of order "${event.orderId}"`,
      );
    }
  }

  /** Steps 2-5 for a claimed event; safe to run again after a crash at any point. */
  private async complete(doc: EventDocument): Promise<'applied' | 'void'> {
    const event = doc.payload as unknown as PartnerEvent;
    const { Account, Event } = this.models;
    const occurredAt = new Date(event.occurredAt);
    const message: MemberActivityMessage = {
      partner: this.partner.key,
      eventId: event.eventId,
      type: event.type,
      brandMemberId: event.brandMemberId,
      memberId: doc.memberId,
      occurredAt: occurredAt.toISOString(),
    };
    let behaviour: BehaviourEvent;
    let spendChange = 0;
    switch (event.type) {
      case 'purchase':
        await this.recordPurchase(event, doc);
        behaviour = {
          type: 'purchase',
          occurredAt,
          amountMinor: event.amountMinor,
          jointCategory: this.jointCategoryOf(event)!,
        };
        Object.assign(message, { amountMinor: event.amountMinor, orderId: event.orderId });
        spendChange = event.amountMinor;
        break;
      case 'refund': {
        const refund = await this.applyRefund(event);
        if (!refund) {
          await Event.deleteOne({ _id: event.eventId, state: 'received' });
          return 'void';
        }
        behaviour = {
          type: 'refund',
          occurredAt,
          amountMinor: event.amountMinor,
          jointCategory: refund.order.jointCategory as JointCategory,
          purchasedAt: refund.order.occurredAt,
        };
        Object.assign(message, {
          amountMinor: event.amountMinor,
          orderId: event.orderId,
          orderAmountMinor: refund.order.amountMinor,
          refundedBeforeMinor: refund.refundedBeforeMinor,
          purchasedAt: new Date(refund.order.occurredAt).toISOString(),
        });
        spendChange = -event.amountMinor;
        break;
      }
      case 'browse':
        behaviour = {
          type: 'browse',
          occurredAt,
          seconds: event.seconds,
          jointCategory: this.jointCategoryOf(event)!,
        };
        break;
      case 'interaction':
        behaviour = { type: 'interaction', occurredAt, jointCategory: this.jointCategoryOf(event) };
        break;
      case 'referral':
        behaviour = { type: 'referral', occurredAt };
        break;
    }
    this.options.faults?.afterOrder?.(event.eventId);

    await Account.updateOne(
      { _id: event.brandMemberId, pendingEventIds: { $ne: event.eventId } },
      {
        $inc: { ...behaviourIncrements(behaviour), lifetimeSpendMinor: spendChange },
        $push: { pendingEventIds: event.eventId },
        ...(event.type === 'purchase' ? { $min: { firstPurchaseAt: occurredAt } } : {}),
      },
    );
    this.options.faults?.afterSummary?.(event.eventId);
    await Event.updateOne({ _id: event.eventId }, { $set: { state: 'applied', message } });
    this.options.faults?.afterMarkApplied?.(event.eventId);
    await Account.updateOne({ _id: event.brandMemberId }, { $pull: { pendingEventIds: event.eventId } });
    this.options.onApplied?.();
    return 'applied';
  }

  private async recordPurchase(
    event: Extract<PartnerEvent, { type: 'purchase' }>,
    doc: EventDocument,
  ): Promise<void> {
    await this.models.Order.updateOne(
      { _id: event.orderId },
      {
        $setOnInsert: {
          brandMemberId: event.brandMemberId,
          memberId: doc.memberId,
          amountMinor: event.amountMinor,
          refundedMinor: 0,
          remainingMinor: event.amountMinor,
          purchaseEventId: event.eventId,
          refundEventIds: [],
          currency: event.currency,
          category: event.category,
          jointCategory: this.jointCategoryOf(event),
          occurredAt: new Date(event.occurredAt),
        },
      },
      { upsert: true },
    );
  }

  /** The order after the refund, with what had been refunded before it; null when not enough remains. */
  private async applyRefund(
    event: Extract<PartnerEvent, { type: 'refund' }>,
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
   * Finishes events a crash left `received` for longer than `graceMs`, and clears ids left in
   * `pendingEventIds` by a crash between steps 4 and 5. Returns how many events it finished.
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
    for (const account of accounts) {
      const ids = account.pendingEventIds ?? [];
      const events = await Event.find({ _id: { $in: ids } }, { state: 1 }).lean<
        Pick<EventDocument, '_id' | 'state'>[]
      >();
      const applied = events.filter((e) => e.state === 'applied').map((e) => e._id);
      if (applied.length)
        await Account.updateOne({ _id: account._id }, { $pull: { pendingEventIds: { $in: applied } } });
    }
    return stuck.length;
  }
}
