import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { PointsLedger } from '../data/points-ledger.js';
import type { EarningRules } from '../domain/earning-rules.js';
import { pointsForActivity } from '../domain/earning-rules.js';

/**
 * Credits joint points for one stream entry. Idempotent: the ledger key is the event's partner and id, so a
 * redelivered or republished event adds nothing. Events of accounts not linked to the programme earn nothing.
 */
export function pointsEarningHandler(ledger: PointsLedger, rules: EarningRules) {
  return async (fields: string[]): Promise<void> => {
    let message: MemberActivityMessage;
    try {
      message = decodeActivityMessage(fields);
    } catch {
      return; // Not a message of ours: acknowledged and skipped, or it would be redelivered for ever.
    }
    if (!message.memberId) return;
    const change = pointsForActivity(message, rules);
    if (!change || change.points === 0) return;
    await ledger.append(activityKey(message), {
      ...change,
      memberId: message.memberId,
      partner: message.partner,
      sourceEventId: message.eventId,
      occurredAt: new Date(message.occurredAt),
    });
  };
}
