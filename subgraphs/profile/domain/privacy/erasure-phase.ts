/** The receipt of the scrubbed event streams. */
export const STREAMS_STORE = 'streams';

/** What an erasure job does next, from the stores it names and those that have answered. */
export type ErasureStep =
  /** Ask these stores (again, when resending) and wait for their receipts. */
  | { kind: 'ask'; stores: string[] }
  /** Remove the entries naming the member from the event streams (the profile does it itself). */
  | { kind: 'scrub' }
  /** Every store has answered: remove the last commands and complete. */
  | { kind: 'complete' };

const isBrand = (store: string): boolean => store.startsWith('brand:');

/**
 * The order that keeps erased data from coming back (docs/architecture.md §7): (1) the brands (after them no
 * event about the member is published), (2) the streams (no entry naming the member is left to consume),
 * (3) every other store, whose data the stream consumers build (the benefits service). The profile erases
 * itself when the job opens, before any of these.
 */
export function nextErasureStep(stores: readonly string[], answered: ReadonlySet<string>): ErasureStep {
  const brands = stores.filter((s) => isBrand(s) && !answered.has(s));
  if (brands.length > 0) return { kind: 'ask', stores: brands };
  if (stores.includes(STREAMS_STORE) && !answered.has(STREAMS_STORE)) return { kind: 'scrub' };
  const rest = stores.filter((s) => !answered.has(s));
  return rest.length > 0 ? { kind: 'ask', stores: rest } : { kind: 'complete' };
}
