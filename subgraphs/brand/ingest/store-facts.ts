import type { PartnerEvent } from '../../shared/events/partner-event.js';
import type { AccountDocument, BrandModels, OrderDocument, ReferralDocument } from '../data/brand-models.js';
import type { KnownOrder, StoreFacts } from '../domain/event-checks.js';

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** What the checks need to know about the accounts, orders and referrals a batch names: one query each. */
export async function loadStoreFacts(
  models: BrandModels,
  events: readonly PartnerEvent[],
): Promise<StoreFacts> {
  const referredIds = unique(events.flatMap((e) => (e.type === 'referral' ? [e.referredBrandMemberId] : [])));
  const accountIds = unique([...events.map((e) => e.brandMemberId), ...referredIds]);
  const orderIds = unique(
    events.flatMap((e) => (e.type === 'purchase' || e.type === 'refund' ? [e.orderId] : [])),
  );
  const [accounts, orders, referrals] = await Promise.all([
    models.Account.find({ _id: { $in: accountIds } }, { memberId: 1 }).lean<
      Pick<AccountDocument, '_id' | 'memberId'>[]
    >(),
    orderIds.length === 0
      ? []
      : models.Order.find(
          { _id: { $in: orderIds } },
          { brandMemberId: 1, purchaseEventId: 1, remainingMinor: 1, refundEventIds: 1, occurredAt: 1 },
        ).lean<(KnownOrder & Pick<OrderDocument, '_id'>)[]>(),
    referredIds.length === 0
      ? []
      : models.Referral.find({ _id: { $in: referredIds } }, { eventId: 1 }).lean<
          Pick<ReferralDocument, '_id' | 'eventId'>[]
        >(),
  ]);
  return {
    accounts: new Map(accounts.map((a) => [a._id, a.memberId ?? null])),
    orders: new Map(orders.map((o) => [o._id, o])),
    referrals: new Map(referrals.map((r) => [r._id, r.eventId])),
  };
}
