import { SignJWT, jwtVerify } from 'jose';
import type { Principal } from './principal.js';
import { principalClaims, principalFromClaims } from './principal.js';

/**
 * The gateway signs a short-lived token for every subgraph request; subgraphs accept nothing else, so a
 * subgraph reached directly, or with a client's own token, answers UNAUTHENTICATED.
 */
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
const ISSUER = 'joint-membership-gateway';
const AUDIENCE = 'joint-membership-subgraphs';
const LIFETIME_SECONDS = 60;

const keyOf = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export async function signInternalToken(
  principal: Principal,
  secret: string,
  requestId: string,
): Promise<string> {
  return new SignJWT({ ...principalClaims(principal), rid: requestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(keyOf(secret));
}

export interface VerifiedInternalToken {
  principal: Principal;
  requestId: string;
}

/** Verifies an internal token; returns null for anything that is not a valid, current gateway token. */
export async function verifyInternalToken(
  token: string,
  secret: string,
): Promise<VerifiedInternalToken | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const principal = principalFromClaims(payload as Record<string, unknown>);
    if (!principal) return null;
    return { principal, requestId: typeof payload.rid === 'string' ? payload.rid : 'unknown' };
  } catch {
    return null;
  }
}
