import { createHash } from 'node:crypto';

/**
 * A retried request must do nothing twice, and a key reused for a different request must not pass for a
 * retry. The key names the request; the fingerprint says what it asked for. Both are stored with the
 * first write, and a later request with the same key is compared by fingerprint.
 */

/** Canonical JSON: object keys sorted, dates as ISO-8601, undefined properties left out. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('cannot fingerprint an invalid date');
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`cannot fingerprint the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot fingerprint a value of type ${typeof value}`);
  }
}

/** SHA-256 of the canonical JSON, hex: equal for equal content whatever the key order. */
export const contentFingerprint = (content: unknown): string =>
  createHash('sha256').update(canonicalJson(content)).digest('hex');

/**
 * What to do with a request whose key may have been seen: `NEW` (do it), `REPLAY` (answer as before,
 * change nothing) or `CONFLICT` (the key was used for different content).
 */
export type IdempotencyVerdict = 'NEW' | 'REPLAY' | 'CONFLICT';

export function idempotencyVerdict(
  stored: { fingerprint: string } | null | undefined,
  fingerprint: string,
): IdempotencyVerdict {
  if (!stored) return 'NEW';
  return stored.fingerprint === fingerprint ? 'REPLAY' : 'CONFLICT';
}
