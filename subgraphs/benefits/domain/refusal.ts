/**
 * Why the wallet or the catalogue says no. A refusal is an answer, not a failure: each carries a message a
 * member (or operator) can act on, and the code a resolver maps onto the error registry.
 */
export type RefusalCode =
  | 'INSUFFICIENT_POINTS'
  | 'OUT_OF_STOCK'
  | 'NOT_ELIGIBLE'
  | 'LIMIT_REACHED'
  /** The idempotency key was used before for different content, or the request contradicts the ledger. */
  | 'CONFLICT'
  /** The entry the request refers to (a redemption to cancel, a payment to refund) is not in the ledger. */
  | 'NOT_FOUND';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const accept = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refuse = <T>(code: RefusalCode, message: string): Outcome<T> => ({
  ok: false,
  refusal: { code, message },
});

const POINTS_FORMAT = new Intl.NumberFormat('en-US');

/** "1,500 points" / "1 point": how amounts of points read in messages. */
export const describePoints = (points: number): string =>
  `${POINTS_FORMAT.format(points)} ${Math.abs(points) === 1 ? 'point' : 'points'}`;

/** "¥45.05": a CNY minor-unit amount, formatted from integers (no floating point). */
export function describeYuan(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}¥${POINTS_FORMAT.format(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}
