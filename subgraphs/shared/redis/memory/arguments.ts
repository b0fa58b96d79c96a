import { notIntegerError, ReplyError } from '../reply-error.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Redis' strict integer syntax (string2ll): no sign on zero, no leading zeros, no spaces, 64-bit range. */
export function parseInteger(text: string): bigint | undefined {
  if (!/^(0|-?[1-9][0-9]{0,19})$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

export function requireInteger(text: string): bigint {
  const value = parseInteger(text);
  if (value === undefined) throw notIntegerError();
  return value;
}

/** For counts, offsets and durations, which stay far below 2^53 in practice. */
export function requireSafeInteger(text: string): number {
  return Number(requireInteger(text));
}

/** Adds two 64-bit integers the way INCRBY/HINCRBY do, refusing to wrap around. */
export function addIntegers(current: bigint, increment: bigint): bigint {
  const sum = current + increment;
  if (sum < INT64_MIN || sum > INT64_MAX) throw new ReplyError('ERR increment or decrement would overflow');
  return sum;
}

/** A sorted-set score: a double, with 'inf', '+inf' and '-inf' spelled as Redis spells them. */
export function parseScore(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (text === '' || /\s/.test(text)) return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** Redis 7.2+ prints scores in their shortest round-trip form (7.0 used %.17g: 0.1 -> 0.10000000000000001). */
export function formatScore(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

/** Matches an option token case-insensitively, as Redis does. */
export const isToken = (arg: string | undefined, token: string): boolean => arg?.toUpperCase() === token;
