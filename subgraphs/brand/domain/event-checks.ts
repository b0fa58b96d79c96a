import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { PartnerEvent } from '../../shared/events/partner-event.js';
import type { AcceptedEvent, Referral, Refund } from './accepted-event.js';

/** An order as the checks need it. */
export interface KnownOrder {
  brandMemberId: string;
  purchaseEventId: string;
  remainingMinor: number;
  refundEventIds: readonly string[];
  occurredAt: Date;
}

/** What the brand's store holds about the accounts, orders and referrals a batch of events names. */
export interface StoreFacts {
  /** Known accounts, each with the programme member it is linked to (null when not linked). */
  accounts: ReadonlyMap<string, string | null>;
  orders: ReadonlyMap<string, KnownOrder>;
  /** Accounts already referred, each with the referral event that counted. */
  referrals: ReadonlyMap<string, string>;
}

export interface PartnerCategories {
  key: string;
  categoryMap: Readonly<Record<string, JointCategory>>;
}

export type EventCheck = { ok: true; accepted: AcceptedEvent } | { ok: false; reason: string };

type Verdict<T> = { ok: true; value: T } | { ok: false; reason: string };

/** What earlier events of the same batch have claimed: a batch is checked as if applied in order. */
class BatchState {
  private readonly orderOwners = new Map<string, string>();
  private readonly referrers = new Map<string, string>();
  private readonly remaining = new Map<string, number>();
  private readonly refunds = new Set<string>();

  constructor(private readonly facts: StoreFacts) {}

  ownerOf(orderId: string): string | undefined {
    return this.orderOwners.get(orderId) ?? this.facts.orders.get(orderId)?.purchaseEventId;
  }

  recordOrder(orderId: string, eventId: string): void {
    this.orderOwners.set(orderId, eventId);
  }

  referralOf(referredId: string): string | undefined {
    return this.referrers.get(referredId) ?? this.facts.referrals.get(referredId);
  }

  recordReferral(referredId: string, eventId: string): void {
    this.referrers.set(referredId, eventId);
  }

  remainingOf(orderId: string, order: KnownOrder): number {
    return this.remaining.get(orderId) ?? order.remainingMinor;
  }

  /** A refund already applied to its order (or earlier in this batch) is a repeat: no amount check. */
  isRepeat(event: Refund, order: KnownOrder): boolean {
    return order.refundEventIds.includes(event.eventId) || this.refunds.has(event.eventId);
  }

  recordRefund(event: Refund, order: KnownOrder): void {
    this.refunds.add(event.eventId);
    this.remaining.set(event.orderId, this.remainingOf(event.orderId, order) - event.amountMinor);
  }
}

function jointCategoryOf(event: PartnerEvent, partner: PartnerCategories): Verdict<JointCategory | null> {
  const local = 'category' in event ? event.category : undefined;
  if (local === undefined) return { ok: true, value: null };
  const joint = partner.categoryMap[local];
  if (joint) return { ok: true, value: joint };
  return {
    ok: false,
    reason: `unknown category "${local}" for ${partner.key}; known: ${Object.keys(partner.categoryMap).join(', ')}`,
  };
}

function checkRefund(event: Refund, facts: StoreFacts, batch: BatchState): string | null {
  const order = facts.orders.get(event.orderId);
  if (!order) return `orderId "${event.orderId}" is not a recorded purchase`;
  if (order.brandMemberId !== event.brandMemberId)
    return `orderId "${event.orderId}" belongs to another member`;
  if (Date.parse(event.occurredAt) < order.occurredAt.getTime()) {
    return `occurredAt ${event.occurredAt} is before the purchase of order "${event.orderId}" (${order.occurredAt.toISOString()}); a refund follows its purchase`;
  }
  if (batch.isRepeat(event, order)) return null;
  const remaining = batch.remainingOf(event.orderId, order);
  if (remaining < event.amountMinor) {
    return `amountMinor ${event.amountMinor} exceeds the ${remaining} that remains of order "${event.orderId}"`;
  }
  batch.recordRefund(event, order);
  return null;
}

/** A referral counts for an existing, different account of the partner, and only once per referred account. */
function checkReferral(event: Referral, facts: StoreFacts, partner: PartnerCategories, batch: BatchState) {
  const referred = event.referredBrandMemberId;
  if (referred === event.brandMemberId) return 'referredBrandMemberId is the referring account itself';
  if (!facts.accounts.has(referred))
    return `referredBrandMemberId "${referred}" is not an account at ${partner.key}`;
  const counted = batch.referralOf(referred);
  if (counted !== undefined && counted !== event.eventId) {
    return `referredBrandMemberId "${referred}" was already referred by event "${counted}"`;
  }
  batch.recordReferral(referred, event.eventId);
  return null;
}

function checkEvent(
  event: PartnerEvent,
  facts: StoreFacts,
  partner: PartnerCategories,
  batch: BatchState,
): EventCheck {
  const memberId = facts.accounts.get(event.brandMemberId);
  if (memberId === undefined) {
    return { ok: false, reason: `unknown brandMemberId "${event.brandMemberId}" at ${partner.key}` };
  }
  const category = jointCategoryOf(event, partner);
  if (!category.ok) return category;
  let problem: string | null = null;
  if (event.type === 'purchase') {
    const owner = batch.ownerOf(event.orderId);
    if (owner !== undefined && owner !== event.eventId) {
      problem = `orderId "${event.orderId}" was already recorded by event "${owner}"`;
    } else {
      batch.recordOrder(event.orderId, event.eventId);
    }
  } else if (event.type === 'refund') {
    problem = checkRefund(event, facts, batch);
  } else if (event.type === 'referral') {
    problem = checkReferral(event, facts, partner, batch);
  } else if (event.type === 'subscription' && memberId === null) {
    problem = `brandMemberId "${event.brandMemberId}" is not linked to the programme; a membership plan is the programme's`;
  }
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, accepted: { event, memberId, jointCategory: category.value } };
}

/**
 * Checks well-formed events against what the store holds and against the events before them in the batch
 * (an order id used twice, refunds that together exceed their order, an account referred twice). Each event comes back accepted, with
 * what the checks looked up, or with a reason a partner's engineer can act on.
 */
export function checkEvents(
  events: readonly PartnerEvent[],
  facts: StoreFacts,
  partner: PartnerCategories,
): EventCheck[] {
  const batch = new BatchState(facts);
  return events.map((event) => checkEvent(event, facts, partner, batch));
}
