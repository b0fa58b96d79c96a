import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { CampaignGrants } from '../data/campaigns/campaign-grants.js';
import type { MemberFactsSnapshots } from '../data/campaigns/member-facts-snapshots.js';
import type { MembershipStore } from '../data/membership/membership-store.js';
import type { PointsWallet } from '../data/points-wallet.js';
import { campaignOrderRef } from '../domain/campaigns/campaign-refund.js';
import type {
  MembershipHistoryEntry,
  MembershipState,
  SubscriptionCommand,
} from '../domain/membership/membership-lifecycle.js';
import { decideSubscription, periodCampaignId } from '../domain/membership/membership-lifecycle.js';
import type { MembershipPlan } from '../domain/membership/membership-plan.js';
import { planPriceFor } from '../domain/membership/membership-plan.js';
import { RefusedActivityError } from './points-consumer.js';

export interface MembershipDeps {
  memberships: MembershipStore;
  plans: ReadonlyMap<string, MembershipPlan>;
  /** The member's facts as the graph last computed them: the score the price is checked against. */
  facts: MemberFactsSnapshots;
  grants: CampaignGrants;
  wallet: PointsWallet;
  calendar: ProgrammeCalendar;
  /** A subscription recorded as REJECTED (logged without personal data by the service). */
  onRejected?: (entry: MembershipHistoryEntry) => void;
  onRefused?: (error: RefusedActivityError) => void;
}

function subscriptionCommand(message: MemberActivityMessage): SubscriptionCommand | null {
  const subscription = message.subscription;
  if (message.type !== 'subscription' || !message.memberId || !subscription) return null;
  return {
    key: activityKey(message),
    partner: message.partner,
    action: subscription.action,
    planId: subscription.planId,
    amountMinor: message.amountMinor ?? 0,
    periodStart: new Date(subscription.periodStart),
    occurredAt: new Date(message.occurredAt),
  };
}

/**
 * Subscription events: each decided on the member's membership document (`decideSubscription`) against the
 * member's price when it is processed, from the facts the graph last computed, and recorded, rejections
 * included, once per event key. A refund that ends the plan then takes back the multiplier points its period
 * granted, order by order, through the campaigns' grants and a wallet reversal keyed by the refund; a
 * redelivery finds the refund in the history and repeats the reversal, which its keys make harmless.
 * Runs in the campaign consumer group, before earnings, so that a purchase after a subscription in the
 * stream always sees the plan.
 */
export function membershipHandler(deps: MembershipDeps) {
  return async (entries: StreamEntry[]): Promise<void> => {
    for (const { payload } of entries) {
      let message: MemberActivityMessage;
      try {
        message = decodeActivityMessage(payload);
      } catch {
        continue;
      }
      const command = subscriptionCommand(message);
      if (!command) continue;
      const memberId = message.memberId!;
      const plan = deps.plans.get(command.planId);
      const compositeScore =
        plan && command.action === 'pay'
          ? ((await deps.facts.at(memberId, command.occurredAt))?.compositeScore ?? null)
          : null;
      const price = plan && command.action === 'pay' ? planPriceFor(plan, compositeScore) : null;
      const { state, entry } = await deps.memberships.change(memberId, (s) =>
        decideSubscription(s, command, { plans: deps.plans, price, compositeScore, calendar: deps.calendar }),
      );
      if (entry?.kind === 'REJECTED') deps.onRejected?.(entry);
      const recorded = entry ?? state.history.find((h) => h.key === command.key);
      if (recorded?.kind === 'REFUNDED') await reversePeriodPoints(deps, state, command);
    }
  };
}

async function reversePeriodPoints(
  deps: MembershipDeps,
  state: MembershipState,
  command: SubscriptionCommand,
): Promise<void> {
  const period = state.periods.find(
    (p) =>
      p.refunded &&
      p.planId === command.planId &&
      (p.periodStart.getTime() === command.periodStart.getTime() ||
        p.start.getTime() === command.periodStart.getTime()),
  );
  if (!period) return;
  const campaignId = periodCampaignId(period);
  const keyPrefix = `${command.key}|`;
  const kept = await deps.grants.keptByOrder(campaignId, state.memberId, keyPrefix);
  const operations = [];
  const keys: string[] = [];
  for (const [order, left] of kept) {
    const points = await deps.grants.reverse({
      campaignId,
      memberId: state.memberId,
      key: `${keyPrefix}${order}`,
      points: Math.max(0, left),
      refundMinor: 0,
      order,
    });
    if (points <= 0) continue;
    const separator = order.indexOf(':');
    const partner = order.slice(0, separator);
    const orderId = order.slice(separator + 1);
    const key = `${campaignId}:refund:${command.key}:${orderId}`;
    keys.push(key);
    operations.push(
      deps.wallet.reverseOperation({
        key,
        memberId: state.memberId,
        partner,
        points,
        occurredAt: command.occurredAt,
        orderRef: campaignOrderRef(campaignId, orderId),
        sourceEventId: command.key.slice(command.key.indexOf(':') + 1),
        campaignId,
      }),
    );
  }
  if (operations.length === 0) return;
  const outcomes = await deps.wallet.applyActivity(state.memberId, operations);
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) deps.onRefused?.(new RefusedActivityError(keys[i], outcome.refusal));
  });
}
