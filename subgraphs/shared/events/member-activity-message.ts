/**
 * What a brand publishes to the event stream for each applied event: enough for every consumer to act
 * without calling back into the brand (points need the order's amount and earlier refunds).
 */
export interface MemberActivityMessage {
  partner: string;
  eventId: string;
  type: 'purchase' | 'refund' | 'browse' | 'interaction' | 'referral' | 'login' | 'subscription';
  brandMemberId: string;
  /** Unified member id; null when the brand account is not linked to the programme (no joint points). */
  memberId: string | null;
  occurredAt: string;
  amountMinor?: number;
  orderId?: string;
  /** The joint category of what was bought, browsed or interacted with (campaigns scoped to categories). */
  jointCategory?: string;
  /** Refunds: the purchase's amount, what was refunded before this refund, and when it was bought. */
  orderAmountMinor?: number;
  refundedBeforeMinor?: number;
  purchasedAt?: string;
  /** Subscriptions: the plan, whether a period was paid or refunded, and the period it is for. */
  subscription?: { action: 'pay' | 'refund'; planId: string; periodStart: string };
}

/** A stream entry's payload: the message as JSON. */
export function encodeActivityMessage(message: MemberActivityMessage): string {
  return JSON.stringify(message);
}

/** Throws on a payload that is not JSON (an entry that is not ours). */
export function decodeActivityMessage(payload: string): MemberActivityMessage {
  return JSON.parse(payload) as MemberActivityMessage;
}

/** The idempotency key of a message across partners (event ids are unique per partner only). */
export const activityKey = (m: Pick<MemberActivityMessage, 'partner' | 'eventId'>): string =>
  `${m.partner}:${m.eventId}`;
