import { requireSafeInteger } from './exact-ratio.js';
import type { ExpiryRule } from './expiry-policy.js';
import { contentFingerprint } from './idempotency-fingerprint.js';
import type { PointsLot } from './points-lot.js';
import type { Outcome } from './refusal.js';
import { accept } from './refusal.js';
import type { WalletChange, WalletEntry, WalletState } from './wallet-entry.js';
import { completeChange, emptyEntryFields, keyedRequest } from './wallet-entry.js';

export interface EarnRequest {
  /** Idempotency key: the partner and event id (`activityKey`). It also names the new lot. */
  key: string;
  memberId: string;
  partner: string;
  points: number;
  occurredAt: Date;
  /** Later than `occurredAt` while the purchase can still be returned. */
  availableAt: Date;
  orderRef: string | null;
  sourceEventId: string;
  /** Set for a campaign's extra points: recorded on the entry, so the ledger names the campaign. */
  campaignId?: string;
}

/**
 * Reversals recorded before the earning of their order reached the ledger (events can arrive out of order)
 * still wait for it: their awaiting points less what later entries already took for them.
 */
export function awaitingReversals(
  entries: readonly WalletEntry[],
  partner: string,
  orderRef: string,
): { entry: WalletEntry; outstanding: number }[] {
  const settled = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === 'reverse' && e.reference)
      settled.set(e.reference, (settled.get(e.reference) ?? 0) - e.points);
  }
  return entries
    .filter(
      (e) => e.kind === 'reverse' && e.partner === partner && e.orderRef === orderRef && e.awaitingPoints > 0,
    )
    .map((entry) => ({ entry, outstanding: entry.awaitingPoints - (settled.get(entry.id) ?? 0) }))
    .filter((r) => r.outstanding > 0)
    .sort(
      (a, b) =>
        a.entry.occurredAt.getTime() - b.entry.occurredAt.getTime() || (a.entry.id < b.entry.id ? -1 : 1),
    );
}

/**
 * Credits earned points as a new lot that expires by the policy. When reversals of the same order are
 * already waiting, the same change takes their points straight out of the new lot, so a refund processed
 * before its purchase leaves the wallet as if they had arrived in order.
 */
export function applyEarn(
  state: WalletState,
  request: EarnRequest,
  expiry: ExpiryRule,
): Outcome<WalletChange> {
  requireSafeInteger('points', request.points, 1);
  const { fingerprint, prior } = keyedRequest(state, 'earn', request);
  if (prior) return prior;

  const lot: PointsLot = {
    id: request.key,
    memberId: request.memberId,
    partner: request.partner,
    origin: 'earn',
    orderRef: request.orderRef,
    sourceEventId: request.sourceEventId,
    points: request.points,
    remaining: request.points,
    earnedAt: request.occurredAt,
    availableAt: request.availableAt,
    expiresAt: expiry(request.availableAt),
  };
  const entries: WalletEntry[] = [
    {
      ...emptyEntryFields,
      id: request.key,
      memberId: request.memberId,
      kind: 'earn',
      points: request.points,
      partner: request.partner,
      occurredAt: request.occurredAt,
      orderRef: request.orderRef,
      allocations: [{ lotId: lot.id, partner: lot.partner, points: request.points }],
      fingerprint,
      ...(request.campaignId ? { campaignId: request.campaignId } : {}),
    },
  ];

  let left = request.points;
  const waiting = request.orderRef ? awaitingReversals(state.entries, request.partner, request.orderRef) : [];
  for (const { entry: reversal, outstanding } of waiting) {
    if (left === 0) break;
    const taken = Math.min(left, outstanding);
    left -= taken;
    const id = `${reversal.id}:matched:${request.key}`;
    entries.push({
      ...emptyEntryFields,
      id,
      memberId: request.memberId,
      kind: 'reverse',
      points: -taken,
      partner: request.partner,
      occurredAt: reversal.occurredAt,
      orderRef: request.orderRef,
      reference: reversal.id,
      allocations: [{ lotId: lot.id, partner: lot.partner, points: -taken }],
      fingerprint: contentFingerprint({ op: 'reverse-matched', id, taken }),
    });
  }
  return accept(completeChange(entries, [lot]));
}
