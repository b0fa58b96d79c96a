import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { PartnerEvent } from '../../shared/events/partner-event.js';

export type Purchase = Extract<PartnerEvent, { type: 'purchase' }>;
export type Refund = Extract<PartnerEvent, { type: 'refund' }>;
export type Referral = Extract<PartnerEvent, { type: 'referral' }>;

/**
 * An event that passed every check, with what the checks looked up. The event document stores all of it,
 * so that an event a crash left half-done can be finished from its document alone.
 */
export interface AcceptedEvent<E extends PartnerEvent = PartnerEvent> {
  event: E;
  /** The programme member the brand account is linked to; null when it is not linked (no joint points). */
  memberId: string | null;
  /** The event's local category on the joint taxonomy; null when it has none (a refund's is its order's). */
  jointCategory: JointCategory | null;
}

export const isRefund = (accepted: AcceptedEvent): accepted is AcceptedEvent<Refund> =>
  accepted.event.type === 'refund';
export const isReferral = (accepted: AcceptedEvent): accepted is AcceptedEvent<Referral> =>
  accepted.event.type === 'referral';
export const isPurchase = (accepted: AcceptedEvent): accepted is AcceptedEvent<Purchase> =>
  accepted.event.type === 'purchase';
