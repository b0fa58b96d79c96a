import { createHmac, timingSafeEqual } from 'node:crypto';

/** Partners sign the raw request body: `x-signature: sha256=<hex HMAC-SHA256(body, partner secret)>`. */
export const SIGNATURE_HEADER = 'x-signature';

export function signEventBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyEventSignature(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signEventBody(body, secret));
  const given = Buffer.from(header.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
