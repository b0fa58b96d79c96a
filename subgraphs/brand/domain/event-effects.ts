import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import type { AcceptedEvent, Purchase } from './accepted-event.js';
import type { BehaviourEvent } from './behaviour-increments.js';
import { behaviourIncrements } from './behaviour-increments.js';

/** The order a purchase records. */
export interface PurchaseOrder {
  brandMemberId: string;
  memberId: string | null;
  amountMinor: number;
  refundedMinor: number;
  /** Amount still refundable; a refund decrements it only if enough remains (no over-refund under races). */
  remainingMinor: number;
  purchaseEventId: string;
  /** Refund events applied to this order, in the order they were applied. */
  refundEventIds: string[];
  currency: string;
  category: string;
  jointCategory: JointCategory;
  occurredAt: Date;
}

/** A refund's order as the refund found it: what a refund changes depends on it. */
export interface RefundedOrder {
  amountMinor: number;
  occurredAt: Date;
  jointCategory: JointCategory;
  /** What earlier refunds of the order took back, so that points reverse exactly what this one refunds. */
  refundedBeforeMinor: number;
}

/** What applying an event changes on its account and publishes: computed once, before the writes. */
export interface EventEffects {
  /** The `$inc` on the account document: day buckets and, when spend changes, lifetime spend. */
  increments: Record<string, number>;
  /** A purchase's time, kept with `$min` as the account's first purchase; null for other events. */
  firstPurchaseAt: Date | null;
  /** What the relay publishes to the event stream once the event is applied. */
  message: MemberActivityMessage;
}

/** Checks guarantee a category for these events; its absence is a bug, not bad input. */
function categoryOf(accepted: AcceptedEvent): JointCategory {
  if (accepted.jointCategory === null) {
    throw new Error(`event "${accepted.event.eventId}" (${accepted.event.type}) has no joint category`);
  }
  return accepted.jointCategory;
}

export function purchaseOrder(accepted: AcceptedEvent<Purchase>): PurchaseOrder {
  const { event } = accepted;
  return {
    brandMemberId: event.brandMemberId,
    memberId: accepted.memberId,
    amountMinor: event.amountMinor,
    refundedMinor: 0,
    remainingMinor: event.amountMinor,
    purchaseEventId: event.eventId,
    refundEventIds: [],
    currency: event.currency,
    category: event.category,
    jointCategory: categoryOf(accepted),
    occurredAt: new Date(event.occurredAt),
  };
}

function effects(
  behaviour: BehaviourEvent,
  spendChange: number,
  message: MemberActivityMessage,
): EventEffects {
  const increments = behaviourIncrements(behaviour);
  if (spendChange !== 0) increments.lifetimeSpendMinor = spendChange;
  return {
    increments,
    firstPurchaseAt: behaviour.type === 'purchase' ? behaviour.occurredAt : null,
    message,
  };
}

/**
 * What an event changes: its day-bucket increments, lifetime spend and stream message. A refund's effects
 * depend on its order (`refunded`): the day and category of the purchase, and what was refunded before it.
 */
export function eventEffects(
  accepted: AcceptedEvent,
  partner: string,
  refunded: RefundedOrder | null = null,
): EventEffects {
  const { event, memberId } = accepted;
  const occurredAt = new Date(event.occurredAt);
  const message: MemberActivityMessage = {
    partner,
    eventId: event.eventId,
    type: event.type,
    brandMemberId: event.brandMemberId,
    memberId,
    occurredAt: occurredAt.toISOString(),
    ...(accepted.jointCategory ? { jointCategory: accepted.jointCategory } : {}),
  };
  switch (event.type) {
    case 'purchase':
      return effects(
        { type: 'purchase', occurredAt, amountMinor: event.amountMinor, jointCategory: categoryOf(accepted) },
        event.amountMinor,
        { ...message, amountMinor: event.amountMinor, orderId: event.orderId },
      );
    case 'refund': {
      if (!refunded) throw new Error(`refund "${event.eventId}" needs its order to know what it changes`);
      return effects(
        {
          type: 'refund',
          occurredAt,
          amountMinor: event.amountMinor,
          jointCategory: refunded.jointCategory,
          purchasedAt: refunded.occurredAt,
        },
        -event.amountMinor,
        {
          ...message,
          amountMinor: event.amountMinor,
          orderId: event.orderId,
          orderAmountMinor: refunded.amountMinor,
          refundedBeforeMinor: refunded.refundedBeforeMinor,
          purchasedAt: refunded.occurredAt.toISOString(),
        },
      );
    }
    case 'browse':
      return effects(
        { type: 'browse', occurredAt, seconds: event.seconds, jointCategory: categoryOf(accepted) },
        0,
        message,
      );
    case 'interaction':
      return effects(
        { type: 'interaction', occurredAt, jointCategory: accepted.jointCategory ?? undefined },
        0,
        message,
      );
    case 'referral':
      return effects({ type: 'referral', occurredAt }, 0, message);
    case 'login':
      return effects({ type: 'login', occurredAt }, 0, message);
    case 'subscription':
      // A membership fee is not spend at the brand: it leaves the behaviour summary alone.
      return {
        increments: {},
        firstPurchaseAt: null,
        message: {
          ...message,
          amountMinor: event.amountMinor,
          subscription: {
            action: event.action,
            planId: event.planId,
            periodStart: new Date(event.periodStart).toISOString(),
          },
        },
      };
  }
}
