import { createHash, randomInt } from 'node:crypto';

/**
 * A link code proves that whoever redeems it owns a partner account: the partner's own system (role
 * `partner_service`), which has signed the customer in, issues it for that account and shows it to them; the
 * member redeems it in the programme. Short-lived and single-use; only its hash is stored.
 */
export const LINK_CODE_TTL_MS = 10 * 60_000;

/** No 0/O, 1/I/L: read aloud or typed from a screen without mistakes. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;

/** 8 characters of 31: about 8.5e11 codes, each valid 10 minutes for one account. */
export function generateLinkCode(): string {
  return Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Codes are compared case-insensitively and without spaces or dashes, as people type them. */
export function normaliseLinkCode(code: string): string | null {
  const normal = code.replace(/[\s-]/g, '').toUpperCase();
  return normal.length === LENGTH && [...normal].every((c) => ALPHABET.includes(c)) ? normal : null;
}

/** The stored id of a code: its hash with the partner, so a code is valid for its own partner only. */
export const linkCodeId = (partner: string, code: string): string =>
  createHash('sha256').update(`${partner}:${code}`).digest('hex');

export const isLinkCodeCurrent = (expiresAt: Date, now: Date): boolean => expiresAt.getTime() > now.getTime();
