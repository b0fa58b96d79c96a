/**
 * What travels on the member-lifecycle stream (docs/architecture.md §7, "Links reach the brands" and
 * "Erasure"): the profile announces links, unlinks and erasures; the stores that hold a member's data apply
 * them and answer each erasure with a receipt. Every message is safe to apply twice.
 */

/** One collection's part of an erasure: documents deleted and documents kept with the member's ids removed. */
export interface ErasureCount {
  collection: string;
  deleted: number;
  anonymised: number;
}

/** What one store did for one erasure. */
export interface StoreErasureReceipt {
  /** `profile`, `benefits` or `brand:<partner>`. */
  store: string;
  counts: ErasureCount[];
  /** When the store finished (ISO 8601, UTC). */
  at: string;
}

export type MemberLifecycleMessage =
  | { kind: 'link'; partner: string; partnerMemberId: string; memberId: string }
  | { kind: 'unlink'; partner: string; partnerMemberId: string; memberId: string }
  | {
      kind: 'erase';
      jobId: string;
      memberId: string;
      /** The member's account at each linked partner (the brands' documents are keyed by it). */
      accounts: Record<string, string>;
      /** The stores asked to erase now (`benefits`, `brand:<partner>`); the others ignore the command. */
      stores: string[];
    }
  | { kind: 'erasure-receipt'; jobId: string; receipt: StoreErasureReceipt };

export const brandStoreName = (partner: string): string => `brand:${partner}`;

export function encodeLifecycleMessage(message: MemberLifecycleMessage): string {
  return JSON.stringify(message);
}

const KINDS = new Set(['link', 'unlink', 'erase', 'erasure-receipt']);

/** Null for a payload that is not a lifecycle message (acknowledged and skipped by every consumer). */
export function decodeLifecycleMessage(payload: string): MemberLifecycleMessage | null {
  try {
    const value = JSON.parse(payload) as { kind?: unknown };
    return value && typeof value.kind === 'string' && KINDS.has(value.kind)
      ? (value as MemberLifecycleMessage)
      : null;
  } catch {
    return null;
  }
}

/** A receipt line from a deleteMany/updateMany result. */
export const erasureCount = (
  collection: string,
  counts: { deleted?: number; anonymised?: number },
): ErasureCount => ({ collection, deleted: counts.deleted ?? 0, anonymised: counts.anonymised ?? 0 });
