import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { NewLedgerEntry, PointsLedger } from '../data/points-ledger.js';
import type { EarningRules } from '../domain/earning-rules.js';
import { ledgerChangeFor } from '../domain/ledger-reconciliation.js';

function decode(payload: string): MemberActivityMessage | null {
  try {
    return decodeActivityMessage(payload);
  } catch {
    return null; // Not a message of ours: acknowledged and skipped, or it would be redelivered for ever.
  }
}

/**
 * Credits joint points for a batch of stream entries. Idempotent: the ledger key is the event's partner and
 * id, so a redelivered or republished event adds nothing. Events of accounts not linked to the programme
 * earn nothing.
 */
export function pointsEarningHandler(ledger: PointsLedger, rules: EarningRules) {
  return async (streamEntries: StreamEntry[]): Promise<void> => {
    const entries: NewLedgerEntry[] = [];
    for (const { payload } of streamEntries) {
      const message = decode(payload);
      const change = message && ledgerChangeFor(message, rules);
      if (!message?.memberId || !change) continue;
      entries.push({
        key: activityKey(message),
        ...change,
        memberId: message.memberId,
        partner: message.partner,
        sourceEventId: message.eventId,
        occurredAt: new Date(message.occurredAt),
      });
    }
    await ledger.appendMany(entries);
  };
}
