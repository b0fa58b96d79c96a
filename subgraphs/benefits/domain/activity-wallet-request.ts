import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey } from '../../shared/events/member-activity-message.js';
import type { EarnRequest } from './earn-points.js';
import type { PointsChange } from './earning-rules.js';
import type { ReverseRequest } from './reverse-points.js';

export type ActivityWalletRequest =
  { op: 'earn'; request: EarnRequest } | { op: 'reverse'; request: ReverseRequest } | null;

/**
 * What every wallet change an activity message causes says of it: its key, the (linked) member it is for, the
 * partner, when it happened and the event.
 */
export const activityChangeSource = (message: MemberActivityMessage, memberId: string) => ({
  key: activityKey(message),
  memberId,
  partner: message.partner,
  occurredAt: new Date(message.occurredAt),
  sourceEventId: message.eventId,
});

/**
 * What an activity message (with the points the earning rules gave it) asks of the wallet: an earning
 * named by the event's key, or a reversal of the order it refunds. Null for messages that change nothing
 * (no linked member, no points, a refund that names no order).
 */
export function walletRequestForActivity(
  message: MemberActivityMessage,
  change: PointsChange | null,
): ActivityWalletRequest {
  if (!message.memberId || !change || change.points === 0) return null;
  const common = activityChangeSource(message, message.memberId);
  if (change.kind === 'earn' && change.points > 0) {
    return {
      op: 'earn',
      request: {
        ...common,
        points: change.points,
        availableAt: change.availableAt,
        orderRef: message.orderId ?? null,
      },
    };
  }
  if (change.kind === 'reverse' && change.points < 0 && message.orderId) {
    return { op: 'reverse', request: { ...common, points: -change.points, orderRef: message.orderId } };
  }
  return null;
}
