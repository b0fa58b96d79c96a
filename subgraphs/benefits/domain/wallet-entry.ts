import type { LotAllocation, PointsLot } from './points-lot.js';
import type { Outcome } from './refusal.js';
import { accept, refuse } from './refusal.js';
import { contentFingerprint, idempotencyVerdict } from './idempotency-fingerprint.js';

/**
 * `return` gives back the points of a cancelled redemption or a refunded points payment; the other kinds
 * are those of the existing ledger.
 */
export type WalletEntryKind = 'earn' | 'reverse' | 'redeem' | 'expire' | 'adjust' | 'return';

/** What a points payment at checkout recorded, so a later refund can split itself exactly. */
export interface CheckoutPayment {
  /** The order's amount after the tier discount, which the points paid part of. */
  payableMinor: number;
  pointsPerMinorUnit: number;
}

/** What a refund of a points payment gave back in cash, next to the points of the return entry. */
export interface CheckoutRefund {
  refundMinor: number;
  cashRefundMinor: number;
}

/** One line of the append-only ledger. Its points are the sum of its lot allocations. */
export interface WalletEntry {
  /** The idempotency key of what caused it. */
  id: string;
  memberId: string;
  kind: WalletEntryKind;
  /** Signed change of the member's points: negative for reverse, redeem, expire. */
  points: number;
  /**
   * earn / reverse: partner where the points were earned; redeem / return: partner that honours the
   * spending; expire: the lot's partner; adjust: who funds the adjustment (`programme` or a partner).
   */
  partner: string;
  occurredAt: Date;
  /** earn / reverse: the partner's order; redeem: the order paid with points or the redemption id. */
  orderRef: string | null;
  /** return: the redeem entry given back; a reverse matched late: the reversal it completes. */
  reference: string | null;
  allocations: LotAllocation[];
  /** reverse: points waiting for the earning they reverse, which has not reached the ledger yet. */
  awaitingPoints: number;
  /** reverse: points that could not be taken back because the member had none left. */
  unrecoveredPoints: number;
  payment: CheckoutPayment | null;
  refund: CheckoutRefund | null;
  /** Settlement month (`YYYY-MM`) the entry is booked in; unset until the write assigns it. */
  settlementMonth?: string;
  /** Fingerprint of the request content, to tell a retry from a reused key. */
  fingerprint: string;
  /** earn: the campaign whose extra points these are; absent for base points and every other kind. */
  campaignId?: string;
}

/**
 * What the wallet operations read: the member's lots (including spent ones an operation may refer to: the
 * lots of a reversed order, the lots a returned redemption took from) and the ledger entries they may refer
 * to (the entry with the request's key, the reversals of the order, the returns of the redemption). The
 * persistence step loads those; tests pass the whole history.
 */
export interface WalletState {
  lots: readonly PointsLot[];
  entries: readonly WalletEntry[];
}

/**
 * What an operation writes: new ledger entries and new lots (listed with their final remainder). The
 * allocations of the entries to lots not in `newLots` are the changes of existing lots.
 */
export interface WalletChange {
  entries: WalletEntry[];
  newLots: PointsLot[];
  /** True when the request was a retry of one already applied: nothing to write. */
  replay: boolean;
}

export const NO_CHANGE: WalletChange = { entries: [], newLots: [], replay: true };

export const emptyEntryFields = {
  orderRef: null,
  reference: null,
  awaitingPoints: 0,
  unrecoveredPoints: 0,
  payment: null,
  refund: null,
} as const;

/**
 * The idempotency check every operation starts with: the key unseen → null (go on); seen with the same
 * fingerprint → an empty change (a replay); seen with another → CONFLICT.
 */
export function priorOutcome(
  state: WalletState,
  key: string,
  fingerprint: string,
): Outcome<WalletChange> | null {
  const stored = state.entries.find((entry) => entry.id === key);
  switch (idempotencyVerdict(stored, fingerprint)) {
    case 'NEW':
      return null;
    case 'REPLAY':
      return accept(NO_CHANGE);
    case 'CONFLICT':
      return refuse('CONFLICT', `Request ${key} was already made with different content; use a new key.`);
  }
}

/** Sets each new lot's remainder to the sum of the change's allocations to it. */
export function completeChange(entries: WalletEntry[], createdLots: PointsLot[]): WalletChange {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    for (const a of entry.allocations) totals.set(a.lotId, (totals.get(a.lotId) ?? 0) + a.points);
  }
  return {
    entries,
    newLots: createdLots.map((lot) => ({ ...lot, remaining: totals.get(lot.id) ?? 0 })),
    replay: false,
  };
}

/** The state after a change: allocations applied to existing lots, new lots and entries appended. */
export function applyWalletChange(state: WalletState, change: WalletChange): WalletState {
  if (change.replay) return state;
  const created = new Set(change.newLots.map((lot) => lot.id));
  const deltas = new Map<string, number>();
  for (const entry of change.entries) {
    for (const a of entry.allocations) {
      if (!created.has(a.lotId)) deltas.set(a.lotId, (deltas.get(a.lotId) ?? 0) + a.points);
    }
  }
  const lots = state.lots.map((lot) => {
    const delta = deltas.get(lot.id);
    deltas.delete(lot.id);
    return delta === undefined ? lot : { ...lot, remaining: lot.remaining + delta };
  });
  if (deltas.size > 0) throw new Error(`change allocates to unknown lots: ${[...deltas.keys()].join(', ')}`);
  return { lots: [...lots, ...change.newLots], entries: [...state.entries, ...change.entries] };
}

/**
 * How every keyed wallet operation starts: the request's fingerprint (its kind and content) and, when its key
 * was seen before, the outcome to answer with instead (see `priorOutcome`).
 */
export function keyedRequest(
  state: WalletState,
  op: string,
  request: { key: string },
): { fingerprint: string; prior: Outcome<WalletChange> | null } {
  const fingerprint = contentFingerprint({ op, ...request });
  return { fingerprint, prior: priorOutcome(state, request.key, fingerprint) };
}
