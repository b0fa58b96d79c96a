import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import type { BrandModels } from '../data/brand-models.js';
import type { AcceptedEvent } from '../domain/accepted-event.js';
import type { EventEffects } from '../domain/event-effects.js';
import { eventEffects } from '../domain/event-effects.js';
import { claimEvents } from './claim-step.js';
import type { IngestOptions, WriteStep } from './ingest-observer.js';
import { writeOrders } from './order-step.js';

export type WriteOutcome =
  { status: 'accepted' | 'duplicate' } | { status: 'conflict' | 'rejected'; reason: string };

/**
 * Writes accepted events without multi-document transactions. Each event takes these writes, in order:
 *
 *   1. claim   insert the event document (`_id` = eventId, state `received`, the content hash): the
 *              idempotency key and the outbox record in one write. A second delivery of the same id stops
 *              here: `duplicate` with the same content, `conflict` with other content (the first stays).
 *   2. order   purchase: upsert the order with `$setOnInsert` (a repeat does nothing); refund: decrement
 *              the order's remaining amount only if the event id is not yet in its `refundEventIds` and
 *              enough remains, pushing the id in the same update; referral: insert the referral claim,
 *              `_id` = the referred account (unique: each account is referred once). An event this step
 *              finds cannot apply (a concurrent event took the order id, the amount or the referred
 *              account first) is void: its claim is deleted and it is rejected.
 *   3. summary `$inc` the account's day buckets only if the event id is not in `pendingEventIds`, pushing
 *              it in the same update; so a repeat of this step cannot count twice.
 *   4. applied mark the event `applied` (with `appliedAt`) and its stream message: the relay publishes only
 *              applied events.
 *   5. tidy    the recovery sweep `$pull`s the id from `pendingEventIds` once the event has been applied
 *              for longer than the grace period. Not sooner: a slow delivery still on its way to step 3
 *              (say, the first of two concurrent deliveries) must find the guard in place.
 *
 * A crash between any two steps leaves the event `received`; the next delivery of the same event, or the
 * recovery sweep, runs steps 2-4 again, and each step's guard makes the repeat a no-op. Nothing is lost (the
 * claim is the first write) and nothing is counted twice.
 *
 * A batch goes through each step together, one bulk write per step, whatever its size: a single event and a
 * recovery re-run are batches of one writer. Refunds depend on the purchases before them, so the ingestor
 * writes a request's refunds as a second batch once the first is applied.
 */
export class GuardedEventWriter {
  readonly now: () => Date;

  constructor(
    private readonly models: BrandModels,
    readonly partner: PartnerConfig,
    private readonly options: IngestOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Steps 1-4 for accepted events; one outcome per event, in order. */
  async write(events: readonly AcceptedEvent[]): Promise<WriteOutcome[]> {
    if (events.length === 0) return [];
    const claim = await claimEvents(this.models.Event, events, this.partner, this.now());
    this.observe('claim', claim.claimed);
    const voided = await this.complete([...claim.claimed, ...claim.unfinished]);
    return claim.outcomes.map((outcome, i): WriteOutcome => {
      if (outcome.status === 'conflict' || outcome.status === 'rejected') return outcome;
      // A void event was never recorded: every delivery of it in this batch is rejected with the reason.
      const reason = voided.get(events[i].event.eventId);
      if (reason !== undefined) return { status: 'rejected', reason };
      return { status: outcome.status === 'claimed' ? 'accepted' : 'duplicate' };
    });
  }

  /**
   * Steps 2-4 for claimed events, safe to run again at any point after a crash. Returns the events found void
   * at step 2 (their claims deleted), with the reason.
   */
  async complete(events: readonly AcceptedEvent[]): Promise<Map<string, string>> {
    if (events.length === 0) return new Map();
    const { refunded, voided } = await writeOrders(this.models, events);
    if (voided.size > 0) {
      await this.models.Event.deleteMany({ _id: { $in: [...voided.keys()] }, state: 'received' });
    }
    this.observe('order', events);
    const applying = events.filter((a) => !voided.has(a.event.eventId));
    if (applying.length === 0) return voided;
    const effects = applying.map((a) =>
      eventEffects(a, this.partner.key, refunded.get(a.event.eventId) ?? null),
    );

    await this.models.Account.bulkWrite(
      applying.map(({ event }, i) => ({
        updateOne: {
          filter: { _id: event.brandMemberId, pendingEventIds: { $ne: event.eventId } },
          update: summaryUpdate(event.eventId, effects[i]),
        },
      })),
      { ordered: false },
    );
    this.observe('summary', applying);
    await this.models.Event.bulkWrite(
      applying.map(({ event }, i) => ({
        updateOne: {
          filter: { _id: event.eventId },
          update: { $set: { state: 'applied', appliedAt: this.now(), message: effects[i].message } },
        },
      })),
      { ordered: false },
    );
    this.observe('applied', applying);
    return voided;
  }

  private observe(step: WriteStep, written: readonly AcceptedEvent[]): void {
    this.options.observer?.afterStep(
      step,
      written.map((a) => a.event.eventId),
    );
  }
}

/** Step 3's update: the `$push` pairs with the filter's `pendingEventIds: { $ne: eventId }` guard. */
function summaryUpdate(eventId: string, effects: EventEffects): Record<string, unknown> {
  const counted = Object.keys(effects.increments).length > 0;
  return {
    // A subscription changes no bucket: an empty `$inc` is an error on servers before MongoDB 5.0.
    ...(counted ? { $inc: effects.increments } : {}),
    $push: { pendingEventIds: eventId },
    ...(effects.firstPurchaseAt ? { $min: { firstPurchaseAt: effects.firstPurchaseAt } } : {}),
  };
}
