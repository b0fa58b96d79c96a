import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { AuthSettings } from '../subgraphs/shared/config/environment.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../subgraphs/shared/config/environment.js';
import { hmacKey } from '../subgraphs/shared/auth/hmac-key.js';
import { ExpiringMap } from '../subgraphs/shared/cache/expiring-map.js';
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import { ANONYMOUS, principalFromClaims } from '../subgraphs/shared/auth/principal.js';
import { unauthenticated } from '../subgraphs/shared/errors.js';

export type ClientTokenVerifier = (authorization: string | undefined) => Promise<Principal>;

// UNAUTHENTICATED carries its 401 from the error registry: thrown from the context factory, it refuses the request.
const rejected = unauthenticated;

/** Clock difference tolerated between the identity provider and the gateway for `iat`. */
const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * Why a verified token is still refused: it must expire, and within `maxLifetime` seconds of when it was
 * issued (or, without `iat`, of now). A token issued in the future would stretch that window, so it is
 * refused too. Null when the token's lifetime is acceptable.
 */
export function lifetimeProblem(payload: JWTPayload, maxLifetime: number, nowSeconds: number): string | null {
  const hours = Math.round((maxLifetime / 3600) * 10) / 10;
  if (typeof payload.exp !== 'number') return 'Your token has no expiry (exp); ask for one that expires.';
  if (typeof payload.iat === 'number') {
    if (payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
      return 'Your token is issued in the future (iat); check the issuing clock and sign in again.';
    }
    if (payload.exp - payload.iat > maxLifetime) {
      return `Your token lives longer than the ${hours} hours allowed; ask for a shorter-lived one.`;
    }
  } else if (payload.exp - nowSeconds > maxLifetime) {
    return `Your token expires more than ${hours} hours from now; ask for a shorter-lived one.`;
  }
  return null;
}

/**
 * Verifies the client's `Authorization: Bearer <JWT>` with jose: HS256 with a shared secret in development,
 * keys from a JWKS URL in production. No header → anonymous (public fields still work, protected fields say
 * UNAUTHENTICATED); a header with a bad, expired or unrecognised token, one without `exp` or living longer
 * than the configured maximum, or (when configured) from another issuer or for another audience → the whole
 * request is UNAUTHENTICATED.
 */
function verificationProblem(error: unknown): string {
  const { code, claim } = error as { code?: string; claim?: string };
  if (code === 'ERR_JWT_EXPIRED') return 'Your token has expired; sign in again.';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp') {
    return 'Your token has no expiry (exp); ask for one that expires.';
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'iss' || claim === 'aud')) {
    return `Your token was issued ${claim === 'iss' ? 'by another issuer' : 'for another audience'}; sign in again.`;
  }
  return 'Your token is not valid; sign in again.';
}

/** Verified client tokens remembered, by their exact text: a mobile app sends the same token with every request. */
const MAX_REMEMBERED_TOKENS = 10_000;
/**
 * A verified token is checked again after this long even when it lives longer, so that a key withdrawn from
 * the JWKS stops its tokens within minutes.
 */
const REMEMBER_FOR_MS = 5 * 60_000;

export function createClientTokenVerifier(
  settings: AuthSettings,
  now: () => number = Date.now,
): ClientTokenVerifier {
  const jwks: JWTVerifyGetKey | undefined = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : undefined;
  const secret = settings.jwtSecret;
  const options = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['exp'] };
  const maxLifetime = settings.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const verify = async (token: string): Promise<JWTPayload> => {
    const at = { ...options, currentDate: new Date(now()) };
    if (jwks) return (await jwtVerify(token, jwks, at)).payload;
    if (secret)
      return (await jwtVerify(token, await hmacKey(secret), { ...at, algorithms: ['HS256'] })).payload;
    throw new Error('no verification key configured');
  };
  // Only tokens that passed every check are remembered, never past their `exp`; refusals are checked anew.
  const remembered = new ExpiringMap<Principal>(MAX_REMEMBERED_TOKENS, now);
  const principalOf = async (token: string): Promise<Principal> => {
    const known = remembered.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (error) {
      throw rejected(verificationProblem(error));
    }
    const problem = lifetimeProblem(payload, maxLifetime, Math.floor(now() / 1000));
    if (problem) throw rejected(problem);
    const principal = principalFromClaims(payload as Record<string, unknown>);
    if (!principal) throw rejected('Your token does not name a member, partner role or operator role.');
    remembered.set(token, principal, Math.min(payload.exp! * 1000, now() + REMEMBER_FOR_MS));
    return principal;
  };
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw rejected('The Authorization header must be "Bearer <token>".');
    return principalOf(match[1]);
  };
}
