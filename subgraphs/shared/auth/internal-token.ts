import { createHmac, randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { ExpiringMap } from '../cache/expiring-map.js';
import { hmacKey } from './hmac-key.js';
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

/** Verified tokens kept per secret; a gateway signs one token per client request, for 60 s at most. */
const MAX_CACHED_TOKENS = 10_000;

/** The protected header of every internal token, already encoded. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

/**
 * A standard HS256 JWT (RFC 7519) carrying the principal, the client request's id (`rid`), a `jti` unique
 * per client request even when the request id (a client may choose its own), the principal and the second
 * are the same (subgraphs tell the fetches of one client request by it: client-request-memo), issuer,
 * audience and a 60 s lifetime. Signed with node's HMAC at once: jose signs through WebCrypto, a job on the
 * thread pool that costs many times the HMAC itself, once per client request. Verification stays with jose.
 */
export async function signInternalToken(
  principal: Principal,
  secret: string,
  requestId: string,
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const claims = {
    ...principalClaims(principal),
    rid: requestId,
    jti: randomUUID(),
    iss: ISSUER,
    aud: AUDIENCE,
    iat: issuedAt,
    exp: issuedAt + LIFETIME_SECONDS,
  };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

export interface VerifiedInternalToken {
  principal: Principal;
  requestId: string;
}

export type InternalTokenVerifier = ((token: string) => Promise<VerifiedInternalToken | null>) & {
  /** How many verified tokens are held. */
  readonly cached: number;
};

/**
 * A verifier for one secret that remembers the tokens it verified until they expire: every subgraph
 * call of one client request carries the same token, so its signature is checked once per subgraph, not
 * once per call. Only valid tokens are kept, by their exact text, and never past their `exp`.
 */
export function createInternalTokenVerifier(
  secret: string,
  now: () => number = Date.now,
): InternalTokenVerifier {
  const verified = new ExpiringMap<VerifiedInternalToken>(MAX_CACHED_TOKENS, now);
  const verify = async (token: string): Promise<VerifiedInternalToken | null> => {
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, await hmacKey(secret), {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
        currentDate: new Date(now()),
      });
      const principal = principalFromClaims(payload as Record<string, unknown>);
      if (!principal) return null;
      const result = { principal, requestId: typeof payload.rid === 'string' ? payload.rid : 'unknown' };
      verified.set(token, result, payload.exp! * 1000);
      return result;
    } catch {
      return null;
    }
  };
  return Object.defineProperty(verify, 'cached', { get: () => verified.size }) as InternalTokenVerifier;
}

const verifiers = new Map<string, InternalTokenVerifier>();

/** Verifies an internal token; returns null for anything that is not a valid, current gateway token. */
export async function verifyInternalToken(
  token: string,
  secret: string,
): Promise<VerifiedInternalToken | null> {
  let verifier = verifiers.get(secret);
  if (!verifier) verifiers.set(secret, (verifier = createInternalTokenVerifier(secret)));
  return verifier(token);
}
