import type { MemberActivityMessage } from '../../../shared/events/member-activity-message.js';
import { activityKey } from '../../../shared/events/member-activity-message.js';

/**
 * Subscription events of linked members: each must be in its member's membership history (accepted or
 * rejected), whatever the points ledger says, since they earn nothing. The reconciliation sweep republishes
 * those it does not find there, as it does for events missing from the ledger.
 */
export const recordableSubscriptions = (
  messages: readonly (MemberActivityMessage | null)[],
): MemberActivityMessage[] =>
  messages.flatMap((m) => (m && m.type === 'subscription' && m.memberId && m.subscription ? [m] : []));

/** The subscriptions whose key no membership history holds: what to publish again. */
export const subscriptionsMissing = (
  subscriptions: readonly MemberActivityMessage[],
  recorded: ReadonlySet<string>,
): MemberActivityMessage[] => subscriptions.filter((m) => !recorded.has(activityKey(m)));
