import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { PointsWallet } from '../data/points-wallet.js';
import type { WalletOperation } from '../data/wallet-store.js';
import type { WalletChange } from '../domain/wallet-entry.js';
import type { EarningRules } from '../domain/earning-rules.js';
import { ledgerChangeFor } from '../domain/ledger-reconciliation.js';
import { activityChangeSource } from '../domain/activity-wallet-request.js';
import type { Refusal } from '../domain/refusal.js';

function decode(payload: string): MemberActivityMessage | null {
  try {
    return decodeActivityMessage(payload);
  } catch {
    return null; // Not a message of ours: acknowledged and skipped, or it would be redelivered for ever.
  }
}

/** A message the wallet refused (its key was applied before with other content): reported, then skipped. */
export class RefusedActivityError extends Error {
  constructor(key: string, refusal: Refusal) {
    super(`points for ${key} refused: ${refusal.code} ${refusal.message}`);
  }
}

type ChangeOperation = WalletOperation<{ change: WalletChange }>;

/** The wallet operation of one message; null for activity that earns nothing. */
function operationFor(
  wallet: PointsWallet,
  rules: EarningRules,
  message: MemberActivityMessage & { memberId: string },
): WalletOperation<{ change: WalletChange }> | null {
  // The same rule the reconciliation sweep expects entries by (docs/architecture.md §6).
  const change = ledgerChangeFor(message, rules);
  if (!change) return null;
  const common = activityChangeSource(message, message.memberId);
  const orderRef =
    message.type === 'purchase' || message.type === 'refund' ? (message.orderId ?? null) : null;
  if (change.kind === 'earn') {
    return wallet.earnOperation({
      ...common,
      points: change.points,
      availableAt: change.availableAt,
      orderRef,
    });
  }
  return orderRef ? wallet.reverseOperation({ ...common, points: -change.points, orderRef }) : null;
}

/**
 * Credits and reverses joint points for a batch of stream entries. Idempotent: the ledger key is the
 * event's partner and id, so a redelivered or republished event adds nothing. Events of accounts not
 * linked to the programme earn nothing. A member's events are applied in stream order, and the batch's
 * members together (`WalletStore.applyMany`: a few writes for the whole batch).
 */
export function pointsEarningHandler(
  wallet: PointsWallet,
  rules: EarningRules,
  onRefused: (error: RefusedActivityError) => void = () => undefined,
) {
  return async (streamEntries: StreamEntry[]): Promise<void> => {
    const byMember = new Map<string, (MemberActivityMessage & { memberId: string })[]>();
    for (const { payload } of streamEntries) {
      const message = decode(payload);
      if (!message?.memberId) continue;
      const list = byMember.get(message.memberId) ?? [];
      list.push(message as MemberActivityMessage & { memberId: string });
      byMember.set(message.memberId, list);
    }
    const planned = new Map<string, { message: MemberActivityMessage; operation: ChangeOperation }[]>();
    for (const [memberId, messages] of byMember) {
      const list = messages.flatMap((message) => {
        const operation = operationFor(wallet, rules, message);
        return operation ? [{ message, operation }] : [];
      });
      if (list.length > 0) planned.set(memberId, list);
    }
    if (planned.size === 0) return;
    const outcomes = await wallet.applyActivities(
      new Map([...planned].map(([memberId, list]) => [memberId, list.map((p) => p.operation)])),
    );
    for (const [memberId, list] of planned) {
      outcomes.get(memberId)?.forEach((outcome, i) => {
        if (!outcome.ok) onRefused(new RefusedActivityError(activityKey(list[i].message), outcome.refusal));
      });
    }
  };
}
