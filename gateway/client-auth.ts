import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { AuthSettings } from '../subgraphs/shared/config/environment.js';
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import { ANONYMOUS, principalFromClaims } from '../subgraphs/shared/auth/principal.js';
import { unauthenticated } from '../subgraphs/shared/errors.js';

export type ClientTokenVerifier = (authorization: string | undefined) => Promise<Principal>;

// UNAUTHENTICATED carries its 401 from the error registry: thrown from the context factory, it refuses the request.
const rejected = unauthenticated;

/**
 * Verifies the client's `Authorization: Bearer <JWT>` with jose: HS256 with a shared secret in development,
 * keys from a JWKS URL in production. No header → anonymous (public fields still work, protected fields say
 * UNAUTHENTICATED); a header with a bad, expired or unrecognised token → the whole request is UNAUTHENTICATED.
 */
export function createClientTokenVerifier(settings: AuthSettings): ClientTokenVerifier {
  const jwks: JWTVerifyGetKey | undefined = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : undefined;
  const secret = settings.jwtSecret ? new TextEncoder().encode(settings.jwtSecret) : undefined;
  const options = { issuer: settings.issuer, audience: settings.audience };
  const verify = async (token: string): Promise<JWTPayload> => {
    if (jwks) return (await jwtVerify(token, jwks, options)).payload;
    if (secret) return (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
    throw new Error('no verification key configured');
  };
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw rejected('The Authorization header must be "Bearer <token>".');
    let payload: JWTPayload;
    try {
      payload = await verify(match[1]);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw rejected(
        expired ? 'Your token has expired; sign in again.' : 'Your token is not valid; sign in again.',
      );
    }
    const principal = principalFromClaims(payload as Record<string, unknown>);
    if (!principal) throw rejected('Your token does not name a member, partner role or operator role.');
    return principal;
  };
}
